#!/bin/sh
# Writes an assembly file holding the function symbols of an ELF, sorted by
# address, for hyp/cpu/symbols.c. With no ELF (first link) the table is empty.
# usage: gen-symtab.sh NM [ELF] > symtab.S
nm_tool=$1
elf=$2

{
	if [ -n "$elf" ]; then
		"$nm_tool" -n --defined-only "$elf" | awk '$2 ~ /^[tT]$/ && $3 !~ /^\$/ { print $1, $3 }'
	fi
} | awk '
BEGIN { n = 0 }
{ addr[n] = $1; name[n] = $2; n++ }
END {
	print "\t.section .rodata.symtab, \"a\""
	print "\t.balign 8"
	print "\t.global hyp_symbol_addrs, hyp_symbol_name_offsets"
	print "\t.global hyp_symbol_names, hyp_symbol_count"
	print "hyp_symbol_count:\n\t.long " n
	print "\t.balign 8\nhyp_symbol_addrs:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "hyp_symbol_name_offsets:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "hyp_symbol_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}'

#!/bin/bash
# Writes tests/host/insn_table.h, the encodings test_insn.c checks the
# decoder against, as the GNU assembler makes them:
#  - insn_named: every text that test_insn.c passes as the first argument of
#    ONE(), ONE_WB(), TWO(), TWO_WB(), NO() or RAW(), with objdump's reading
#    of the word in a comment;
#  - insn_sweeps: every imm9 and imm7, imm12 at its edges, every register as
#    Rt and Rn, over each kind and addressing mode, written below with the
#    kind, mode, registers and byte offset the test expects back.
# Run it after adding a case to test_insn.c; commit both files.
#
# usage: tests/host/gen_insn_table.sh [--check]
#   --check  only compare with the committed table (exit 1 if it is stale)
set -euo pipefail

cd "$(dirname "$0")/../.."
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
src=tests/host/test_insn.c
out=tests/host/insn_table.h
# Every extension a refused case uses (LSE, RCpc, PAuth, MTE, LS64, FlagM).
arch=armv8.7-a+memtag+ls64
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Assembles the texts in $1, one a line, into "word<TAB>objdump's text"
# lines in $2, in the same order. Warnings (unpredictable forms) are errors.
assemble() {
	{
		printf '\t.arch %s\n' "$arch"
		sed 's/^/\t/' "$1"
	} >"$tmp/in.s"
	"${cross}as" --fatal-warnings "$tmp/in.s" -o "$tmp/in.o"
	"${cross}objdump" -d -z "$tmp/in.o" | awk -F'\t' '
		/^ *[0-9a-f]+:\t/ {
			word = $2
			gsub(/ /, "", word)
			text = $3
			for (i = 4; i <= NF; i++)
				text = text " " $i
			print word "\t" text
		}' >"$2"
	if [ "$(wc -l <"$1")" -ne "$(wc -l <"$2")" ]; then
		echo "gen_insn_table: $(wc -l <"$1") lines in, $(wc -l <"$2") words out" >&2
		exit 1
	fi
}

# ---- The sweeps: "kind mode rt rt2 rn imm<TAB>text" lines ----

reg() { # reg PREFIX N: w3, x3, wzr, xzr
	if [ "$2" -eq 31 ]; then echo "${1}zr"; else echo "$1$2"; fi
}
base() { # base N: x3 or sp
	if [ "$1" -eq 31 ]; then echo sp; else echo "x$1"; fi
}

# kind, bytes, register prefix, mnemonic (scaled, unscaled, unprivileged)
singles="K_STRB 1 w strb sturb sttrb
K_STRH 2 w strh sturh sttrh
K_STRW 4 w str stur sttr
K_STRX 8 x str stur sttr
K_LDRB 1 w ldrb ldurb ldtrb
K_LDRH 2 w ldrh ldurh ldtrh
K_LDRW 4 w ldr ldur ldtr
K_LDRX 8 x ldr ldur ldtr
K_LDRSB_W 1 w ldrsb ldursb ldtrsb
K_LDRSB_X 1 x ldrsb ldursb ldtrsb
K_LDRSH_W 2 w ldrsh ldursh ldtrsh
K_LDRSH_X 2 x ldrsh ldursh ldtrsh
K_LDRSW 4 x ldrsw ldursw ldtrsw"

# kind, bytes, register prefix, mnemonic, no-allocate mnemonic (or -)
pairs="K_STPW 4 w stp stnp
K_STPX 8 x stp stnp
K_LDPW 4 w ldp ldnp
K_LDPX 8 x ldp ldnp
K_LDPSW 4 x ldpsw -"

sweeps() {
	local i k r kind size p m u t nm off

	# Every imm9, in one form (the field is common to all of them).
	for i in $(seq -256 255); do
		printf 'K_LDRX M_OFFSET 1 0 2 %d\tldur x1, [x2, #%d]\n' "$i" "$i"
	done
	# imm9 at its edges in every kind and form.
	while read -r kind size p m u t; do
		for i in -256 -255 -129 -1 0 1 128 255; do
			printf '%s M_PRE 3 0 4 %d\t%s %s3, [x4, #%d]!\n' \
				"$kind" "$i" "$m" "$p" "$i"
			printf '%s M_POST 5 0 6 %d\t%s %s5, [x6], #%d\n' \
				"$kind" "$i" "$m" "$p" "$i"
			printf '%s M_OFFSET 7 0 8 %d\t%s %s7, [x8, #%d]\n' \
				"$kind" "$i" "$u" "$p" "$i"
			printf '%s M_OFFSET 12 0 14 %d\t%s %s12, [x14, #%d]\n' \
				"$kind" "$i" "$t" "$p" "$i"
		done
	done <<<"$singles"
	# imm12, scaled by the size, at zero, powers of two and the top.
	while read -r kind size p m u t; do
		for k in 0 1 2 3 4 8 16 32 64 128 256 512 1024 2048 4095; do
			off=$((k * size))
			printf '%s M_OFFSET 9 0 10 %d\t%s %s9, [x10, #%d]\n' \
				"$kind" "$off" "$m" "$p" "$off"
		done
	done <<<"$singles"
	# Every imm7, in one form.
	for i in $(seq -64 63); do
		off=$((i * 8))
		printf 'K_LDPX M_OFFSET 11 12 13 %d\tldp x11, x12, [x13, #%d]\n' \
			"$off" "$off"
	done
	# imm7 at its edges in every pair kind and form.
	while read -r kind size p m nm; do
		for i in -64 -63 -33 -1 0 1 32 63; do
			off=$((i * size))
			printf '%s M_OFFSET 15 16 17 %d\t%s %s15, %s16, [x17, #%d]\n' \
				"$kind" "$off" "$m" "$p" "$p" "$off"
			printf '%s M_PRE 15 16 18 %d\t%s %s15, %s16, [x18, #%d]!\n' \
				"$kind" "$off" "$m" "$p" "$p" "$off"
			printf '%s M_POST 15 16 19 %d\t%s %s15, %s16, [x19], #%d\n' \
				"$kind" "$off" "$m" "$p" "$p" "$off"
			[ "$nm" = - ] && continue
			printf '%s M_OFFSET 15 16 20 %d\t%s %s15, %s16, [x20, #%d]\n' \
				"$kind" "$off" "$nm" "$p" "$p" "$off"
		done
	done <<<"$pairs"
	# Every register as Rt, Rt2 and Rn; Rn never equal to a written Rt.
	for r in $(seq 0 31); do
		printf 'K_LDRX M_OFFSET %d 0 2 16\tldr %s, [x2, #16]\n' \
			"$r" "$(reg x "$r")"
		printf 'K_LDRW M_OFFSET 1 0 %d -12\tldr w1, [%s, #-12]\n' \
			"$r" "$(base "$r")"
		printf 'K_LDPX M_PRE %d %d %d -16\tldp %s, %s, [%s, #-16]!\n' \
			"$r" $(((r + 1) % 32)) $(((r + 7) % 32)) "$(reg x "$r")" \
			"$(reg x $(((r + 1) % 32)))" "$(base $(((r + 7) % 32)))"
		printf 'K_STRW M_POST %d 0 %d 4\tstr %s, [%s], #4\n' \
			"$r" $(((r + 3) % 32)) "$(reg w "$r")" \
			"$(base $(((r + 3) % 32)))"
	done
}

# ---- The table ----

grep -oE '\b(ONE|ONE_WB|TWO|TWO_WB|NO|RAW)\("[^"]*"' "$src" |
	sed -E 's/^[A-Z_]+\("//; s/"$//' | awk '!seen[$0]++' >"$tmp/named"
assemble "$tmp/named" "$tmp/named.out"
sweeps >"$tmp/sweeps"
cut -f2 "$tmp/sweeps" >"$tmp/sweeps.text"
assemble "$tmp/sweeps.text" "$tmp/sweeps.out"

{
	cat <<EOF
/*
 * Generated by tests/host/gen_insn_table.sh from tests/host/test_insn.c;
 * do not edit. Encodings by $("${cross}as" --version | head -1),
 * .arch $arch.
 * The including file defines the K_* kinds and M_* modes.
 */
struct insn_text {
	u32 word;
	const char *text;
};

struct insn_sweep {
	u32 word;
	const char *text;
	int kind;
	int mode;
	u8 rt, rt2, rn;
	s64 imm; /* bytes */
};

/* Each with objdump's reading of the word. */
static const struct insn_text insn_named[] = {
EOF
	paste "$tmp/named" "$tmp/named.out" |
		awk -F'\t' '{ printf "\t{ 0x%s, \"%s\" }, /* %s */\n", $2, $1, $3 }'
	echo "};"
	echo
	echo "static const struct insn_sweep insn_sweeps[] = {"
	paste "$tmp/sweeps" "$tmp/sweeps.out" | awk -F'\t' '{
		split($1, f, " ")
		printf "\t{ 0x%s, \"%s\", %s, %s, %s, %s, %s, %s },\n",
			$3, $2, f[1], f[2], f[3], f[4], f[5], f[6]
	}'
	echo "};"
} >"$tmp/table.h"

if [ "${1:-}" = --check ]; then
	if ! cmp -s "$tmp/table.h" "$out"; then
		echo "gen_insn_table: $out is stale; run $0" >&2
		exit 1
	fi
	exit 0
fi
mv "$tmp/table.h" "$out"
echo "gen_insn_table: $(wc -l <"$tmp/named") named, $(wc -l <"$tmp/sweeps") swept"

/*
 * What a VM's output may do to the operator's terminal. Printable text,
 * newlines, tabs, well-formed UTF-8 and SGR colour sequences (ESC [ digits
 * ; : m) pass; a backspace or ESC [ n D passes while it stays within the
 * VM's own text on the line, and so does erasing from the cursor rightwards
 * (ESC [ K, ESC [ J: a shell's line editing), and the VM with input focus
 * may ask where the cursor is (ESC [ 6 n: the terminal types the answer,
 * which must go to no other VM). Anything else that would move the cursor, erase, retitle or
 * reprogram the terminal is shown instead, visibly and harmlessly: ESC as
 * "^[" and the rest of its sequence as text, other C0 controls as ^X, C1
 * controls (raw bytes or UTF-8-encoded) and malformed UTF-8 as \xHH.
 *
 * Pure code (host-tested, tests/host/test_term_filter.c): the console
 * keeps one filter per VM and gives it the function that writes a byte.
 */
#ifndef HYP_TERM_FILTER_H
#define HYP_TERM_FILTER_H

#include "types.h"

#define TERM_SEQ_MAX 32 /* longer escape sequences are shown, not sent */

struct term_filter {
	u8 state;             /* TF_TEXT, TF_ESC, TF_CSI or TF_UTF8 */
	u8 len;               /* bytes held in seq */
	u8 need;              /* UTF-8 continuation bytes still expected */
	u8 lo, hi;            /* the range the next UTF-8 byte must be in */
	bool styled;          /* an SGR sequence is in force on this line */
	u32 col;              /* ASCII columns the VM wrote on this line */
	bool focused;         /* the VM has input focus (set by the console) */
	char seq[TERM_SEQ_MAX]; /* an escape or UTF-8 sequence not yet sent */
};

typedef void (*term_out)(void *ctx, char c);

/* One byte of the VM's output ('\n' ends its line: attributes reset). */
void term_filter_putc(struct term_filter *f, char c, term_out out, void *ctx);

/* The VM's line ends without its '\n' (another writer breaks it): resets
 * the attributes it set and starts a new line's count; a sequence still
 * held goes on after the break. The caller writes the line break. */
void term_filter_end_line(struct term_filter *f, term_out out, void *ctx);

/* The VM stops: shows what it left held, then ends its line as above. */
void term_filter_flush(struct term_filter *f, term_out out, void *ctx);

#endif

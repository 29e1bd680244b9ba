"""What a guest must not reach (issue 10, points 5, 8 and 9), from inside
guests/isotrap beside guests/hello on one CPU: the operator's terminal
(escape and control sequences shown, not obeyed; colours reset at the end
of the line), IMPLEMENTATION DEFINED and LORegion registers (UNDEFINED),
RAS error records (none), set/way maintenance (runs, keeps the data), the
Spectre workaround answers (the CPU's truth) and WFIT's deadline. On
cortex-a57 (its IMP DEF registers exist) and on max (RAS, LOR, CSV2).
The configuration is tests/configs/run/isotrap.c."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guests import POWER_OFF, guests_passed, summary  # noqa: E402
from harness import Build, Expect, Test  # noqa: E402

BUILD = Build(CONFIG_FILE="tests/configs/run/isotrap.c")
ESC = "\x1b"

# How each line the guest printed reaches the terminal: the sequences as
# visible text, only SGR colours sent, and those reset before the newline.
TERMINAL = [
    Expect(r"^\[isotrap\] \^\[\[1G\[pulse\] y$"),
    Expect(r"^\[isotrap\] csi: \^\[\[2A\^\[\[2J\^\[\[2K\^\[\[10;1H\^\[\[\?25l\^\[\[6n$"),
    # Line editing within its own text passes; past its start, not.
    Expect(r"^\[isotrap\] left: ab\^\[\[20D\x1b\[2D\x1b\[K$"),
    Expect(r"^\[isotrap\] osc: \^\[\]0;x\^G$"),
    Expect(r"^\[isotrap\] dcs: \^\[Pq#0\^\[\\$"),
    Expect(r"^\[isotrap\] bare: \^\[ done$"),
    Expect(r"^\[isotrap\] c1: \\x9b1G and \\xc2\\x9b2J$"),
    Expect(r"^\[isotrap\] sgr: \x1b\[1;31mred, never reset\x1b\[0m$"),
    # Backspaces go back over the VM's own text only ("bs: ", then the
    # "^H" shown for the one that would have reached its tag).
    Expect(r"^\[isotrap\] bs: \x08{4}\^H\x08\x08\^H\x08\x08\[pulse\] z$"),
    Expect(r"^\[isotrap\] after: plain$"),
]


def terminal_untouched(console):
    """No escape reached the terminal but the one colour and its reset, and
    no raw C1 control (0x9b shows as U+FFFD once decoded)."""
    allowed = console.replace(ESC + "[1;31m", "").replace(ESC + "[0m", "")
    allowed = allowed.replace(ESC + "[2D", "").replace(ESC + "[K", "")
    if ESC in allowed:
        i = allowed.index(ESC)
        return f"a raw ESC reached the terminal: {allowed[max(0, i - 20):i + 20]!r}"
    if "\ufffd" in console or "\x9b" in console:
        return "a raw C1 byte reached the terminal"
    if "\x07" in console:
        return "a raw BEL reached the terminal"
    return None


def check(console):
    return terminal_untouched(console) or guests_passed("isotrap", "hello")(console)


def isotrap_test(cpu, extra):
    return Test(f"isotrap-console-traps-smccc-{cpu}", BUILD, TERMINAL + extra + [
        summary("isotrap"),
        POWER_OFF,
    ], cpu=cpu, check=check, timeout=30)


TESTS = [
    # Cortex-A57: CPUECTLR_EL1 and L2CTLR_EL1 exist, so TIDCP is what makes
    # them UNDEFINED; no CSV2 and no firmware workaround: NOT_SUPPORTED.
    isotrap_test("cortex-a57", [
        Expect(r"^\[isotrap\] PASS: set/way: \d+ DC CISW and DC ISW over every level"),
        Expect(r"^\[isotrap\] PASS: SMCCC_ARCH_FEATURES\(WORKAROUND_1\) is -1 "),
    ]),
    # max: RAS, LORegions and CSV2, so LORID_EL1 is UNDEFINED only through
    # TLOR, and WORKAROUND_1 "not required" is the truth.
    isotrap_test("max", [
        Expect(r"^\[isotrap\] PASS: read of LORID_EL1: undefined instruction"),
        Expect(r"^\[isotrap\] PASS: ERRIDR_EL1 reads 0: no error records"),
        Expect(r"^\[isotrap\] PASS: SMCCC_ARCH_FEATURES\(WORKAROUND_1\) is 1 "),
    ]),
]

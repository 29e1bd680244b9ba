"""Instruction budgets for the hypervisor's hot paths. The benchmark payload
runs as `make bench` runs it (CONFIG=bench, BENCH=1, QEMU -icount
shift=0,sleep=off), where the cycle counter counts exactly one per
instruction, so a figure is exact and a budget is a plain comparison: a
change that makes a path much longer fails here. The budgets are 1.6 to 2
times the figures in docs/benchmarks.md; when a path grows for a good reason,
raise its budget there and here together."""

from bench import counting_problem, guest_figures, guest_test

BUDGETS = {
    "hvc_nop": 300,          # null hypercall round trip
    "mmio_read": 700,        # emulated MMIO read (vUART FR)
    "dirty_fault": 1300,     # dirty-log write fault, per page
    "dirty_get": 1100,       # HC_DIRTY_LOG_GET, nothing dirty
    "dirty_get_page": 900,   # HC_DIRTY_LOG_GET, each dirty page returned
}


def within_budgets(console):
    figures = guest_figures(console)
    problem = counting_problem(figures)
    if problem:
        return problem
    over = []
    for key, budget in BUDGETS.items():
        if key not in figures:
            return f"the payload printed no figure for {key}"
        if figures[key] > budget:
            over.append(f"{key} {figures[key]} > {budget}")
    return "over budget: " + ", ".join(over) if over else None


TESTS = [guest_test("bench-budget-hot-paths", check=within_budgets)]

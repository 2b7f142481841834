"""Report, after every run, how much of the book nbval really compared."""

from tests import notebook_audit


def pytest_terminal_summary(terminalreporter, config):
    """One line: code cells compared by nbval, opted out, and those that print nothing."""
    nodeids = {
        report.nodeid.split("::")[0]
        for reports in terminalreporter.stats.values()
        for report in reports
        if ".ipynb::" in getattr(report, "nodeid", "")
    }
    if not nodeids:
        return
    notebooks = sorted(config.rootpath / nodeid for nodeid in nodeids)
    total, compared, opted_out, silent = notebook_audit.comparison_counts(notebooks)
    terminalreporter.write_sep("-", "nbval coverage")
    terminalreporter.write_line(
        f"{len(notebooks)} notebooks, {total} code cells: outputs of {compared} compared, "
        f"{opted_out} opted out (each says why), {silent} print nothing"
    )

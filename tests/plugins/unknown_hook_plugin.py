"""A test plugin implementing a hook that does not exist."""

from budgetlint.hookspecs import hookimpl


@hookimpl
def budgetlint_no_such_hook():
    return None

"""CSV cells a spreadsheet opens safely: one rule for every CSV the registry writes (page
downloads, the open-data zip, the admin's export)."""

# A cell starting with one of these is run as a formula by spreadsheets (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """The value, with a leading quote when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """Lists joined with "; ", None as an empty cell, formulas escaped."""
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return "" if value is None else escape_formula(value)

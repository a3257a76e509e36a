"""The shapes of Popolo's organization and membership (https://www.popoloproject.com/specs/,
schemas/organization.json, membership.json, other_name.json, identifier.json, link.json), as JSON
Schema, with the properties the registry uses; additional properties stay allowed, as in Popolo."""

PARTIAL_DATE = {
    "type": "string",
    "pattern": r"^[0-9]{4}((-[0-9]{2}){0,2}|(-[0-9]{2}){2}"
    r"(T[0-9]{2}(:[0-9]{2}){0,2}(Z|[+-][0-9]{2}(:[0-9]{2})?))?)$",
}
LINK = {
    "type": "object",
    "properties": {"url": {"type": "string", "format": "uri"}, "note": {"type": "string"}},
    "required": ["url"],
}
OTHER_NAME = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "note": {"type": ["string", "null"]},
        "start_date": PARTIAL_DATE,
        "end_date": PARTIAL_DATE,
    },
    "required": ["name"],
}
IDENTIFIER = {
    "type": "object",
    "properties": {"identifier": {"type": "string"}, "scheme": {"type": ["string", "null"]}},
    "required": ["identifier"],
}
ORGANIZATION = {
    "type": "object",
    "properties": {
        "id": {"type": ["string", "null"]},
        "name": {"type": ["string", "null"]},
        "other_names": {"type": "array", "items": OTHER_NAME},
        "identifiers": {"type": "array", "items": IDENTIFIER},
        "classification": {"type": ["string", "null"]},
        "founding_date": PARTIAL_DATE,
        "dissolution_date": PARTIAL_DATE,
        "sources": {"type": "array", "items": LINK},
    },
}
MEMBERSHIP = {
    "type": "object",
    "properties": {
        "id": {"type": ["string", "null"]},
        "label": {"type": ["string", "null"]},
        "role": {"type": ["string", "null"]},
        "member": {
            "type": "object",
            "properties": {"@type": {"enum": ["Person", "Organization"]}, "id": {"type": "string"}},
            "required": ["@type", "id"],
        },
        "organization_id": {"type": ["string", "null"]},
        "start_date": PARTIAL_DATE,
        "end_date": PARTIAL_DATE,
        "sources": {"type": "array", "items": LINK},
    },
}

"""Open data: the whole registry as one JSON document, as CSV tables in a zip, and as Popolo
JSON, as of a date or complete; and the JSON document read back into an empty database.

`tables` says what is exported and in which order; `formats` writes it out as a stream (a large
registry is never held in memory); `popolo` maps it to the Popolo standard; `importer` reads it
back.
"""

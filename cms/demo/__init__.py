"""Demo content built by code: the seed page's site, its article and the booking form.

A package of its own, above the content apps it fills, so no content app imports another
to seed it. Used by `load_demo_content` (make run) and by tests that need the seed."""

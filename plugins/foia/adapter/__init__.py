"""The MkDocs adapter: the only code that imports the generator. Its hooks hand off to
the rules, the outputs and the proof; staging and promotion of the site and the caches
live beside it."""

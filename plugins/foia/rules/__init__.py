"""The rules: the record schema, loading and classifying content, London dates and
working days, the one publication predicate, the plan for a day, the ledger and the
publication state of a decision. No generator is imported here."""

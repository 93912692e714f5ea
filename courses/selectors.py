"""All report reads go through here. Each selector says what it guarantees (scope, queries).

Sections are owned by different parts of the product; keep each one's code inside it.
"""

# --- Learner progress -------------------------------------------------------------------------


# --- Force reports ----------------------------------------------------------------------------

"""xAPI: the progress ledger as standard statements (statements), the managers' read API's
queries (courses.api.xapi_views), and delivery to a force's own LRS (outbox, delivery)."""

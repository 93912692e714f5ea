"""All writes go through here: keyword-only, typed, `<entity>_<action>` names.

Sections are owned by different parts of the product; keep each one's code inside it.
"""

# --- Progress ---------------------------------------------------------------------------------


# --- Reflections ------------------------------------------------------------------------------


# --- API keys ---------------------------------------------------------------------------------


# --- Learners (privacy) -----------------------------------------------------------------------

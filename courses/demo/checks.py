"""One knowledge check per demo module: question, options, per-option feedback."""

KNOWLEDGE_CHECKS = {
    "leadership": {
        "question": "A colleague jokes about a domestic abuse call in the briefing room. What "
        "does good leadership look like?",
        "allow_multiple": False,
        "options": [
            {
                "text": "Leave it: it is only banter and people need to let off steam.",
                "is_correct": False,
                "feedback": "Silence tells the team the joke is acceptable, and tells anyone "
                "affected by abuse that it is not safe to speak.",
            },
            {
                "text": "Say calmly that it is not acceptable, and talk with the colleague "
                "afterwards.",
                "is_correct": True,
                "feedback": "Yes. Naming it in the moment sets the standard; a follow-up "
                "conversation helps the colleague change.",
            },
            {
                "text": "Report the colleague without speaking to them.",
                "is_correct": False,
                "feedback": "Formal routes matter for serious conduct, but leaders also set the "
                "standard directly, in the room.",
            },
        ],
    },
    "mens-role": {
        "question": "Which questions keep the focus on the person causing harm?",
        "allow_multiple": True,
        "options": [
            {
                "text": "Why doesn't he stop?",
                "is_correct": True,
                "feedback": "Yes. Abuse is a choice, and this question puts responsibility there.",
            },
            {
                "text": "What is he doing to control her, and what has he done before?",
                "is_correct": True,
                "feedback": "Yes. This looks for the pattern of behaviour, not a single incident.",
            },
            {
                "text": "Why doesn't she leave?",
                "is_correct": False,
                "feedback": "This puts the burden on the victim. Leaving is often the most "
                "dangerous time, and many barriers are created by the abuser.",
            },
            {
                "text": "What did she do to make him angry?",
                "is_correct": False,
                "feedback": "No one causes another person to abuse them.",
            },
        ],
    },
    "survivor-voices": {
        "question": "What do survivors most often say made a difference at first contact?",
        "allow_multiple": False,
        "options": [
            {
                "text": "Being believed, and being asked about the whole pattern of what happened.",
                "is_correct": True,
                "feedback": "Yes. Belief and curiosity about the history build the trust that "
                "keeps people safer.",
            },
            {
                "text": "A quick visit so that things can calm down.",
                "is_correct": False,
                "feedback": "Speed can leave the pattern unseen and the risk unassessed.",
            },
            {
                "text": "Being told what they should have done differently.",
                "is_correct": False,
                "feedback": "This blames the victim and makes people less likely to call again.",
            },
        ],
    },
}

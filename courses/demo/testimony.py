"""Fictional composite testimony and a short resource for the demo, each labelled as such."""

TESTIMONY = [
    {
        "attribution": "Alex: a fictional composite",
        "text": (
            "This account is a fictional composite, written by the course team from themes many "
            "survivors have shared. It is not one person's story.\n\n"
            "The first officer who came asked me what had happened tonight. The second asked me "
            "what had been happening for a long time. That was the first time anyone had asked "
            "the right question, and the first time I thought someone might believe the whole of "
            "it, not just the part they could see."
        ),
        "review_in_days": 365,
    },
    {
        "attribution": "Jordan: a fictional composite",
        "text": (
            "This account is a fictional composite, written by the course team from themes many "
            "survivors have shared. It is not one person's story.\n\n"
            "People thought he was easy-going. At home, every decision went through him: what I "
            "wore, who I saw, what I spent. Nothing about it looked like a crime from the outside. "
            "When an officer said the words 'controlling behaviour' out loud, I realised I had not "
            "imagined it."
        ),
        # Due for review soon, so the consent report has something to show.
        "review_in_days": 20,
    },
]

CONVERSATION_GUIDE = """DA Matters: starting a conversation (demo resource)

This short guide was written for the DA Matters demo. It is not operational guidance.

1. Find a private, safe place to talk. Never ask about abuse in front of the other person.
2. Ask open questions about what has been happening over time, not only today.
3. Listen. Believe what you are told, and say so.
4. Name behaviours plainly: "What you are describing is controlling behaviour."
5. Focus on the person causing harm: what has he done, and what is he choosing to do?
6. Tell the person what will happen next, and give them support details they can keep safely.
"""

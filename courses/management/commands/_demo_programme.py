"""Demo content for seed_demo: an original DA Matters-style programme.

Written by the course team for demonstration. Testimony here is a fictional composite and says
so. Readers may have lived through domestic abuse: the text avoids graphic detail, never blames
victims, and signposts support before difficult material.
"""

# Real national services and their public contact details. Hours are given only where we are
# sure of them; the services' websites have current opening times.
SUPPORT_SERVICES = [
    {
        "name": "National Domestic Abuse Helpline (Refuge)",
        "description": "Free, confidential support for anyone experiencing domestic abuse, and "
        "for friends, family and professionals supporting them.",
        "phone": "0808 2000 247",
        "url": "https://www.nationaldahelpline.org.uk/",
        "hours": "24 hours, every day",
        "audience": "anyone",
        "sort_order": 10,
    },
    {
        "name": "Men's Advice Line (Respect)",
        "description": "Confidential support for men experiencing domestic abuse.",
        "phone": "0808 801 0327",
        "url": "https://mensadviceline.org.uk/",
        "hours": "",
        "audience": "anyone",
        "sort_order": 20,
    },
    {
        "name": "Galop: National LGBT+ Domestic Abuse Helpline",
        "description": "Support for lesbian, gay, bisexual, trans and queer people experiencing "
        "domestic abuse.",
        "phone": "0800 999 5428",
        "url": "https://galop.org.uk/",
        "hours": "",
        "audience": "anyone",
        "sort_order": 30,
    },
    {
        "name": "Samaritans",
        "description": "Someone to talk to about anything that is troubling you, whatever it is.",
        "phone": "116 123",
        "url": "https://www.samaritans.org/",
        "hours": "24 hours, every day",
        "audience": "anyone",
        "sort_order": 40,
    },
    {
        "name": "Oscar Kilo Mental Health Crisis Line",
        "description": "Independent, confidential crisis support for police officers and staff "
        "in England and Wales. Nothing is shared with your force.",
        "phone": "0300 131 2789",
        "url": "https://www.oscarkilo.org.uk/crisis-line",
        "hours": "24 hours, every day",
        "audience": "officers",
        "sort_order": 10,
    },
    {
        "name": "Police Care UK",
        "description": "The national charity for serving and former police officers, staff and "
        "volunteers, and their families, harmed because of their policing role.",
        "phone": "",
        "url": "https://www.policecare.org.uk/",
        "hours": "",
        "audience": "officers",
        "sort_order": 20,
    },
    {
        "name": "Respect Phoneline",
        "description": "Confidential advice for people worried about their own abusive "
        "behaviour towards a partner or family member, and for those working with them.",
        "phone": "0808 802 4040",
        "url": "https://respectphoneline.org.uk/",
        "hours": "",
        "audience": "own-behaviour",
        "sort_order": 10,
    },
]

# Names of the services each module's content notice lists.
NOTICE_SERVICES = [
    "National Domestic Abuse Helpline (Refuge)",
    "Oscar Kilo Mental Health Crisis Line",
    "Respect Phoneline",
]

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


def p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# Each lesson is a list of (block type, value) pairs. Placeholders resolved by seed_demo:
# "CONTENT_WARNING" (the notice services), "TESTIMONY:<index>", "RESOURCES", "IMAGE",
# "CHECK:<module key>".
MODULES = [
    {
        "key": "leadership",
        "slug": "leading-the-change",
        "title": "Leading the change",
        "theme": "leadership",
        "summary": "How leaders at every rank shape the way their teams understand and respond "
        "to domestic abuse.",
        "outcomes": "<ul><li>Explain why the culture of a team affects victims' safety.</li>"
        "<li>Recognise moments where you can set the standard.</li>"
        "<li>Plan one action to lead change in your own team.</li></ul>",
        "minutes": 35,
        "notice": p(
            "This module talks about domestic abuse, including coercive control. It contains no "
            "graphic descriptions. Some colleagues will have their own experience of abuse: "
            "look after yourself and each other."
        ),
        "lessons": [
            (
                "Why culture matters",
                [
                    (
                        "heading",
                        {"text": "What officers do depends on what teams believe", "level": "h2"},
                    ),
                    (
                        "paragraph",
                        p(
                            "Policies describe what should happen at a domestic abuse call. "
                            "What actually happens depends on what the team around an officer "
                            "treats as normal: the jokes that pass without comment, the jobs "
                            "called 'just a domestic', the questions people are expected to ask.",
                            "Leaders shape that culture every day, whatever their rank.",
                        ),
                    ),
                    ("IMAGE", None),
                    (
                        "key_point",
                        {
                            "title": "Key point",
                            "text": p("Culture is what a team does when nobody is checking."),
                        },
                    ),
                    (
                        "reflection_prompt",
                        {
                            "prompt": "Think of a time a colleague's words about domestic abuse "
                            "stayed with you. What did they show about your team's culture?",
                            "guidance": "There is no right answer. Only you can see this.",
                        },
                    ),
                ],
            ),
            (
                "Seeing the pattern: coercive control",
                [
                    ("CONTENT_WARNING", None),
                    (
                        "paragraph",
                        p(
                            "Coercive and controlling behaviour is a pattern: isolating someone, "
                            "monitoring them, restricting money, threatening, humiliating. In "
                            "England and Wales it has been a criminal offence since 2015.",
                            "A single incident can look minor. The pattern is what shows the risk.",
                        ),
                    ),
                    ("TESTIMONY:1", None),
                    (
                        "quote",
                        {
                            "quote": "Ask what has been happening, not only what happened tonight.",
                            "attribution": "DA Matters course team",
                        },
                    ),
                ],
            ),
            (
                "Setting the standard",
                [
                    ("heading", {"text": "Small moments, big signals", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "Challenging a joke, asking a follow-up question in a debrief, "
                            "making time for a colleague who seems affected: these are the "
                            "moments that tell a team what matters."
                        ),
                    ),
                    ("CHECK:leadership", None),
                    (
                        "reflection_prompt",
                        {
                            "prompt": "What is one thing you will do in the next month to set "
                            "the standard in your team?",
                            "guidance": "",
                        },
                    ),
                    ("RESOURCES", None),
                ],
            ),
        ],
    },
    {
        "key": "mens-role",
        "slug": "why-doesnt-he-stop",
        "title": "Men's role: why doesn't he stop?",
        "theme": "mens-role",
        "summary": "Changing the question from 'why doesn't she leave?' to 'why doesn't he "
        "stop?', and what that asks of men, in uniform and out of it.",
        "outcomes": "<ul><li>Explain why the question we ask shapes the response.</li>"
        "<li>Reflect on your own ideas about being a man.</li>"
        "<li>Keep the focus on the person causing harm at a call.</li></ul>",
        "minutes": 40,
        "notice": p(
            "This module asks you to think about yourself as well as your role. It mentions "
            "abusive behaviour without graphic detail. If anything here makes you worried about "
            "your own behaviour, the Respect Phoneline offers confidential advice."
        ),
        "lessons": [
            (
                "Changing the question",
                [
                    (
                        "paragraph",
                        p(
                            "'Why doesn't she leave?' is one of the most common questions asked "
                            "about domestic abuse. It sounds reasonable, but it puts the burden "
                            "on the victim and hides the person making the choices.",
                            "'Why doesn't he stop?' puts responsibility where it belongs.",
                        ),
                    ),
                    (
                        "key_point",
                        {
                            "title": "Key point",
                            "text": p("Abuse is a choice. The question we ask should say so."),
                        },
                    ),
                    (
                        "reflection_prompt",
                        {
                            "prompt": "When did you last hear someone ask why a victim did not "
                            "leave? What might a different question have changed?",
                            "guidance": "",
                        },
                    ),
                ],
            ),
            (
                "Thinking about ourselves as men",
                [
                    ("CONTENT_WARNING", None),
                    ("heading", {"text": "Before the uniform", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "Most men are not abusive. But all of us grew up with ideas about "
                            "what men are supposed to be: in control, not needing help, the one "
                            "who decides. Those ideas come to work with us.",
                            "Noticing them in ourselves helps us notice when an abuser uses "
                            "them as an excuse, and helps us challenge other men.",
                        ),
                    ),
                    (
                        "quote",
                        {
                            "quote": "Men talking to men about abuse is part of how it stops.",
                            "attribution": "DA Matters course team",
                        },
                    ),
                    (
                        "reflection_prompt",
                        {
                            "prompt": "What did you learn growing up about how men handle "
                            "conflict at home? Which of those ideas would you keep?",
                            "guidance": "This is private. Write as much or as little as you like.",
                        },
                    ),
                ],
            ),
            (
                "At the call: focus on the perpetrator",
                [
                    (
                        "paragraph",
                        p(
                            "At a call, focusing on the person causing harm means asking what "
                            "he has done and is doing, checking history and intelligence, and "
                            "holding him to account, rather than asking the victim to manage "
                            "the risk he creates."
                        ),
                    ),
                    ("TESTIMONY:0", None),
                    ("CHECK:mens-role", None),
                    ("RESOURCES", None),
                ],
            ),
        ],
    },
    {
        "key": "survivor-voices",
        "slug": "survivor-voices",
        "title": "Survivor voices",
        "theme": "survivor-voices",
        "summary": "What people who have lived through domestic abuse tell us about the "
        "difference police can make.",
        "outcomes": "<ul><li>Describe what survivors say helps at first contact.</li>"
        "<li>Recognise the courage it takes to call.</li>"
        "<li>Respond in a way that builds trust.</li></ul>",
        "minutes": 30,
        "notice": p(
            "This module includes accounts of domestic abuse. They are fictional composites "
            "written for training and contain no graphic detail, but they may still bring up "
            "feelings for you. Take a break whenever you need to."
        ),
        "lessons": [
            (
                "Listening first",
                [
                    ("CONTENT_WARNING", None),
                    (
                        "paragraph",
                        p(
                            "Calling the police about a partner or family member is rarely the "
                            "first thing someone tries. By the time officers arrive, many "
                            "people have lived with abuse for a long time.",
                            "The first few minutes can decide whether they call again.",
                        ),
                    ),
                    ("TESTIMONY:0", None),
                ],
            ),
            (
                "What helped, and what did not",
                [
                    ("heading", {"text": "Being believed", "level": "h2"}),
                    (
                        "paragraph",
                        p(
                            "Survivors often describe the same things: being spoken to "
                            "privately, being believed, being asked about the whole pattern, "
                            "and being told what would happen next."
                        ),
                    ),
                    ("TESTIMONY:1", None),
                    (
                        "key_point",
                        {
                            "title": "Key point",
                            "text": p("Belief is not a conclusion about evidence. It is respect."),
                        },
                    ),
                ],
            ),
            (
                "Holding hope and risk together",
                [
                    (
                        "paragraph",
                        p(
                            "People can be frightened and hopeful at once: frightened of what "
                            "he might do, hopeful that things might change. Respecting both is "
                            "part of keeping someone safe."
                        ),
                    ),
                    ("CHECK:survivor-voices", None),
                    (
                        "reflection_prompt",
                        {
                            "prompt": "What will you say in the first minute of your next "
                            "domestic abuse call?",
                            "guidance": "",
                        },
                    ),
                    ("RESOURCES", None),
                ],
            ),
        ],
    },
]

"""The demo modules and their lessons, as (block type, value) pairs for seed_demo."""


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

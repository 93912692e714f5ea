"""Support services the demo signposts, and the ones each module's content notice lists."""

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

# A force's own entry, made for each demo force (a fictional example, labelled so): forces add
# their own wellbeing and support contacts, and only their own learners see them.
FORCE_SERVICE = {
    "name": "{force} staff wellbeing team (demo example)",
    "description": "A fictional entry for the demo. In a live service, your force lists its own "
    "wellbeing, occupational health or domestic abuse support contacts here, and only its own "
    "officers and staff see them.",
    "phone": "",
    "url": "",
    "hours": "",
    "audience": "officers",
    "sort_order": 90,
}

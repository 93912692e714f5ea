"""Demo content for seed_demo: an original DA Matters-style programme.

Written by the course team for demonstration. Testimony here is a fictional composite and says
so. Readers may have lived through domestic abuse: the text avoids graphic detail, never blames
victims, and signposts support before difficult material.
"""

from courses.demo.checks import KNOWLEDGE_CHECKS
from courses.demo.modules import MODULES, p
from courses.demo.support import FORCE_SERVICE, NOTICE_SERVICES, SUPPORT_SERVICES
from courses.demo.testimony import CONVERSATION_GUIDE, TESTIMONY

__all__ = [
    "CONVERSATION_GUIDE",
    "FORCE_SERVICE",
    "KNOWLEDGE_CHECKS",
    "MODULES",
    "NOTICE_SERVICES",
    "SUPPORT_SERVICES",
    "TESTIMONY",
    "p",
]

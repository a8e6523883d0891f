"""What can be a person's name in an owner phrase, and what never is."""

from __future__ import annotations

import re

# Words that stand before "to"/"will"/":" in prose but are nobody's name.
NOT_NAMES = frozenset(
    """
    a an the i we you he she it they them us someone somebody everyone everybody anyone anybody nobody all
    team people folks this that these those there here who what when where why how which need needs try
    want wants going plan plans continue decide ask remember way time ability able unable nothing something
    anything refer reply add go talk write reach switch migrate update respond subscribe also then and or but
    next note notes nb ps fyi info idea agreed help link topic question answer decision result summary status
    done blocked wip update proposal owner owners assignee due priority tags tag milestone private action
    actions ai ais todo task tasks item items followup follow-up followups reminder important urgent optional
    later soon maybe please thanks welcome re edit tbd n/a none new old open closed carried over still again
    one each both other others group sig board council fesco steering maintainers volunteer volunteers unassigned
    port backport upgrade downgrade move push post send submit apply return get listen come convert change
    rename copy forward point redirect default compare contribute propose bring pin bump set map migrate
    limit close open reopen revert switch turn hand pass due according related prior similar back up down
    ci qa pr prs api ui ux rc os doc docs faq rfc sig cve irc ml
    """.split()
)


_GROUP_WORDS = frozenset(
    "leads chairs members reviewers maintainers owners folks admins contributors committers everyone all team "
    "teams people volunteers staff".split()
)
# Upper-case initials ("JF to", "SA") are people; longer capitals ("KIWI") are acronyms.
_INITIALS = 3
# "setup.py: …": a file, not a person.
FILE_NAME = re.compile(r"\.(?:py|md|rst|txt|ya?ml|json|toml|cfg|ini|spec|sh|c|h|js|ts|go|rs|html|xml|conf|in)$", re.I)


def plausible(names: list[str], *, allow_words: bool) -> bool:
    """Reject pronouns, verbs, labels, groups and file names; shouting acronyms ("KIWI") are not people."""
    for name in names:
        bare = name.lstrip("@").lower()
        if not bare or bare in NOT_NAMES or bare.split(" ")[0] in NOT_NAMES:
            return False
        if not name.startswith("@") and len(name) > _INITIALS and name.isupper() and not allow_words:
            return False
        if " " in bare:
            if any(len(word) > _INITIALS and word.isupper() for word in name.split(" ")):
                return False  # "Rebuild JIRA" is a task and a product, not a person
            if _GROUP_WORDS.intersection(bare.split(" ")):
                return False  # "Project Leads" is a group: named in the title, assigning nobody
        elif bare in _GROUP_WORDS:
            return False
        if "/" in name or ("." in name and FILE_NAME.search(name)):
            return False
    return bool(names)

"""The POSIX sh script that ``notes2tickets hook install`` writes.

Its whole point is the no-op path: git itself checks, with the notes globs
baked in as ``:(top,glob)`` pathspecs, whether the operation touched a notes
file, so a commit without notes costs one or two git calls and never starts
Python. File names never pass through the shell: Python asks git again, NUL-
separated. Every value baked in goes through ``shlex.quote``.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Optional, Sequence

from notes2tickets.git.changes import normalize_glob

MARKER = "# notes2tickets-managed-hook v1"

# Runs the CLI; a package that vanished from the interpreter costs a warning, never a failed git operation.
_LAUNCHER = """import sys
try:
    from notes2tickets.cli import main
except ImportError:
    sys.stderr.write("warning: notes2tickets: hook skipped: notes2tickets is no longer installed in " + sys.executable + "\\n")
    sys.exit(0)
sys.exit(main(sys.argv[1:]))"""

_HEAD = """#!/bin/sh
{marker}
# Written by "notes2tickets hook install --type {hook}": it files the new action items of the notes files that
# this git operation changed. Do not edit: re-run that command to refresh it (for instance after changing the
# "notes" globs in the config file, which are baked in below); "notes2tickets hook uninstall --type {hook}"
# removes it and restores the hook it chained, if any.
# NOTES2TICKETS_HOOK=off skips it, NOTES2TICKETS_HOOK=dry-run only previews.
n2t_python={python}
n2t_state={state}
n2t_hooks_in_git_dir={in_git_dir}
n2t_type={hook}
"""

# Items not filed yet wait behind the .pending flag (written by the sync) or in the .queue file (written by
# the hook when the tracker was slow). What the background filing did is printed once, from .report.
_PENDING = """
n2t_pending() {
    n2t_db=${NOTES2TICKETS_STATE:-$n2t_state}
    if [ -z "$n2t_db" ] && [ "$n2t_hooks_in_git_dir" = yes ]; then
        n2t_db="${0%/*}/../notes2tickets/state.sqlite3"  # saves a git call: <git common dir>/hooks/<this>
    elif [ -z "$n2t_db" ]; then
        n2t_db="$(git rev-parse --git-common-dir 2>/dev/null)/notes2tickets/state.sqlite3" || return 0
    fi
    if [ -s "$n2t_db.report" ] && mv -f "$n2t_db.report" "$n2t_db.report.shown" 2>/dev/null; then
        echo "notes2tickets: the background filing finished:" >&2
        cat "$n2t_db.report.shown" >&2
    fi
    [ -e "$n2t_db.pending" ] || [ -e "$n2t_db.queue" ]
}

n2t_run() {
    if [ ! -x "$n2t_python" ]; then
        echo "warning: notes2tickets: hook skipped: $n2t_python is gone; re-run \\"notes2tickets hook install --type $n2t_type\\"" >&2
        return 0
    fi
    "$n2t_python" -c '{launcher}' hook run --type "$n2t_type"{extra}
}
"""

# post-commit and post-merge: run the chained hook, then sync when notes changed; never fail the operation.
_AFTER = """
n2t_status=0
if [ -x "$0.legacy" ]; then
    "$0.legacy" "$@" || n2t_status=$?
fi
[ "${{NOTES2TICKETS_HOOK:-}}" = off ] && exit "$n2t_status"
unset GIT_LITERAL_PATHSPECS GIT_NOGLOB_PATHSPECS
{changed}
if n2t_notes_changed || n2t_pending; then
    n2t_run </dev/null
fi
exit "$n2t_status"
"""

_POST_COMMIT = _AFTER.replace("{changed}", """
# Exit status 0: no notes file changed; 1: one did; anything else (no parent: the root commit) asks again.
n2t_notes_changed() {{
    git diff-tree --quiet -r --no-renames HEAD~1 HEAD -- {specs} 2>/dev/null
    case $? in 0) return 1 ;; 1) return 0 ;; esac
    git diff-tree --quiet -r --no-renames --root --no-commit-id HEAD -- {specs} 2>/dev/null
    [ $? -ne 0 ]
}}
""")

_POST_MERGE = _AFTER.replace("{changed}", """
n2t_notes_changed() {{
    git diff-tree --quiet -r --no-renames ORIG_HEAD HEAD -- {specs} 2>/dev/null
    [ $? -ne 0 ]
}}
""")

# After "git commit --amend" git runs post-commit too; only a rebase (git pull --rebase) is this hook's.
_POST_REWRITE = _AFTER.replace("{changed}", """[ "${{1:-}}" = rebase ] || exit "$n2t_status"

n2t_notes_changed() {{
    git diff-tree --quiet -r --no-renames ORIG_HEAD HEAD -- {specs} 2>/dev/null
    [ $? -ne 0 ]
}}
""")

# git passes one line per ref on stdin; ref names and ids never hold blanks, so keeping them in a variable is safe.
_PRE_PUSH = """
n2t_input=$(cat)
n2t_feed() {{
    if [ -n "$n2t_input" ]; then printf '%s\\n' "$n2t_input"; fi
}}
if [ -x "$0.legacy" ]; then
    n2t_feed | "$0.legacy" "$@" || exit $?
fi
[ "${{NOTES2TICKETS_HOOK:-}}" = off ] && exit 0
unset GIT_LITERAL_PATHSPECS GIT_NOGLOB_PATHSPECS

n2t_notes_changed() {{
    while read -r n2t_lref n2t_lsha n2t_rref n2t_rsha; do
        case $n2t_lsha in *[!0]*) ;; *) continue ;; esac
        case $n2t_rsha in
            *[!0]*) if git cat-file -e "$n2t_rsha^{{commit}}" 2>/dev/null; then
                        git diff-tree --quiet -r --no-renames "$n2t_rsha" "$n2t_lsha" -- {specs} 2>/dev/null
                        [ $? -eq 0 ] || return 0
                        continue
                    fi ;;
        esac
        n2t_hit=$(git log -1 --format=%h -m --full-history "$n2t_lsha" --not --remotes -- {specs} 2>/dev/null) || return 0
        [ -z "$n2t_hit" ] || return 0
    done <<N2T_EOF
$n2t_input
N2T_EOF
    return 1
}}

if n2t_notes_changed || n2t_pending; then
    n2t_feed | n2t_run
    exit $?
fi
exit 0
"""

_BODIES = {"post-commit": _POST_COMMIT, "post-merge": _POST_MERGE, "post-rewrite": _POST_REWRITE, "pre-push": _PRE_PUSH}


def render(
    *,
    hook_type: str,
    python: str,
    globs: Sequence[str],
    dry_run: bool,
    state: Optional[Path],
    in_git_dir: bool,
) -> str:
    """The script text for ``hook_type``, calling ``python`` and matching ``globs``.

    ``state`` is a state path set at install time (else the default is found at
    run time); ``in_git_dir`` says the hooks folder is ``<git common dir>/hooks``.
    """
    specs = " ".join(shlex.quote(f":(top,glob){normalize_glob(g)}") for g in globs)
    head = _HEAD.format(
        marker=MARKER,
        hook=hook_type,
        python=shlex.quote(python),
        state=shlex.quote(str(state)) if state else "''",
        in_git_dir="yes" if in_git_dir else "no",
    )
    pending = _PENDING.replace("{launcher}", _LAUNCHER).replace("{extra}", " --dry-run" if dry_run else "")
    return head + pending + _BODIES[hook_type].format(specs=specs)


def is_ours(text: str) -> bool:
    """True for a script this module wrote (any version)."""
    return "\n# notes2tickets-managed-hook " in text

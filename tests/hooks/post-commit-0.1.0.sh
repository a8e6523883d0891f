#!/bin/sh
# notes2tickets-managed-hook v1
# Written by "notes2tickets hook install --type post-commit": it files the new action items of the notes files that
# this git operation changed. Do not edit: re-run that command to refresh it (for instance after changing the
# "notes" globs in the config file, which are baked in below); "notes2tickets hook uninstall --type post-commit"
# removes it and restores the hook it chained, if any.
# NOTES2TICKETS_HOOK=off skips it, NOTES2TICKETS_HOOK=dry-run only previews.
n2t_python=@PYTHON@
n2t_state=''
n2t_hooks_in_git_dir=yes
n2t_type=post-commit

n2t_pending() {
    n2t_db=${NOTES2TICKETS_STATE:-$n2t_state}
    if [ -z "$n2t_db" ] && [ "$n2t_hooks_in_git_dir" = yes ]; then
        n2t_db="${0%/*}/../notes2tickets/state.sqlite3"  # saves a git call: <git common dir>/hooks/<this>
    elif [ -z "$n2t_db" ]; then
        n2t_db="$(git rev-parse --git-common-dir 2>/dev/null)/notes2tickets/state.sqlite3" || return 0
    fi
    [ -e "$n2t_db.pending" ]
}

n2t_run() {
    if [ ! -x "$n2t_python" ]; then
        echo "warning: notes2tickets: hook skipped: $n2t_python is gone; re-run \"notes2tickets hook install --type $n2t_type\"" >&2
        return 0
    fi
    "$n2t_python" -c 'import sys
try:
    from notes2tickets.cli import main
except ImportError:
    sys.stderr.write("warning: notes2tickets: hook skipped: notes2tickets is no longer installed in " + sys.executable + "\n")
    sys.exit(0)
sys.exit(main(sys.argv[1:]))' hook run --type "$n2t_type"
}

n2t_status=0
if [ -x "$0.legacy" ]; then
    "$0.legacy" "$@" || n2t_status=$?
fi
[ "${NOTES2TICKETS_HOOK:-}" = off ] && exit "$n2t_status"
unset GIT_LITERAL_PATHSPECS GIT_NOGLOB_PATHSPECS

# Exit status 0: no notes file changed; 1: one did; anything else (no parent: the root commit) asks again.
n2t_notes_changed() {
    git diff-tree --quiet -r --no-renames HEAD~1 HEAD -- ':(top,glob)meetups/**/*.md' ':(top,glob)meetings/**/*.md' ':(top,glob)minutes/**/*.md' ':(top,glob)notes/**/*.md' 2>/dev/null
    case $? in 0) return 1 ;; 1) return 0 ;; esac
    git diff-tree --quiet -r --no-renames --root --no-commit-id HEAD -- ':(top,glob)meetups/**/*.md' ':(top,glob)meetings/**/*.md' ':(top,glob)minutes/**/*.md' ':(top,glob)notes/**/*.md' 2>/dev/null
    [ $? -ne 0 ]
}

if n2t_notes_changed || n2t_pending; then
    n2t_run </dev/null
fi
exit "$n2t_status"

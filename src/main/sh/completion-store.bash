
# ---- Appended by the build (src/main/sh/completion-store.bash) to picocli's generated script above. ----
# Chat names (--chat, the CHAT of send, chat and message) and account names (--account) come from 'novyse __complete', which reads
# the data directory and the local store without touching the network. Everything else is picocli's completion.

# Prints the candidates of one kind (chats or accounts), passing on the --data-dir/--account already typed.
function _novyse_store_candidates() {
  local kind=$1 i w
  local -a args=()
  for (( i=1; i<COMP_CWORD; i++ )); do
    w=${COMP_WORDS[i]}
    case $w in
      --data-dir|--account) args+=("$w" "${COMP_WORDS[i+1]}") ;;
      --data-dir=*|--account=*) args+=("$w") ;;
    esac
  done
  command novyse "${args[@]}" __complete "$kind" 2>/dev/null
}

# Which store candidates the current word wants: chats, accounts, or nothing.
function _novyse_store_kind() {
  local prev=${COMP_WORDS[COMP_CWORD-1]}
  # bash splits "@team" at '@' (COMP_WORDBREAKS): look one word further back.
  [[ $prev == @ ]] && prev=${COMP_WORDS[COMP_CWORD-2]}
  case $prev in
    --chat) echo chats; return ;;
    --account) echo accounts; return ;;
  esac
  # The CHAT of send, of the chat subcommands that take one (all but create and join) and of 'message ...': the
  # first positional word after the (sub)command.
  local i w seen=0 positionals=0
  for (( i=1; i<COMP_CWORD; i++ )); do
    w=${COMP_WORDS[i]}
    if (( ! seen )); then
      if [[ $w == send ]]; then
        seen=1
      elif [[ ${COMP_WORDS[i-1]} == chat && " info members leave rename describe handle pin unpin invite kick ban unban bans admin owner " == *" $w "* ]]; then
        seen=1
      elif [[ ${COMP_WORDS[i-1]} == message && " edit delete react unreact pin unpin read favorite " == *" $w "* ]]; then
        seen=1
      fi
      continue
    fi
    case $w in
      --sub|--reply-to|--file|--server|--account|--data-dir|--format|--position) (( i++ )) ;;
      -*|@) ;;
      *) (( positionals++ )) ;;
    esac
  done
  (( seen && positionals == 0 )) && [[ ${COMP_WORDS[COMP_CWORD]} != -* ]] && echo chats
}

function _novyse_complete() {
  local kind
  kind=$(_novyse_store_kind)
  if [[ -n $kind ]]; then
    # zsh keeps "@te" as one word: match without the '@' and put it back on the matches.
    local cur=${COMP_WORDS[COMP_CWORD]} at=
    [[ $cur == @* ]] && at=@
    local IFS=$'\n'
    COMPREPLY=( $(compgen -P "$at" -W "$(_novyse_store_candidates "$kind")" -- "${cur#@}") )
    return 0
  fi
  _complete_novyse "$@"
}

complete -F _novyse_complete -o default novyse novyse.sh novyse.bash

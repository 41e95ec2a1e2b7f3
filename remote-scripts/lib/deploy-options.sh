# A deployment's options: key=value lines written by Helvetia (deployOptions in
# src-main/core/deploy/deploy-request.ts), read without evaluating anything, then each validated
# against the patterns of lib/rules.sh. Sourced after lib/deploy-common.sh.
# shellcheck disable=SC2034 # the options are used by the scripts that source this file

# open_deployment: checks $prefix, $app and $id (set by parse_options), then sets the app's paths
# (app_paths), dir (the deployment's folder, ~/.P/apps/A/deployments/ID) and its options (load_options).
# shellcheck disable=SC2154 # parse_options (the caller) and app_paths set them
open_deployment() {
  require prefix "$prefix" "$PREFIX_PATTERN"
  require app "$app" "$APP_PATTERN"
  require 'deployment id' "$id" "$DEPLOYMENT_ID_PATTERN"
  app_paths "$prefix" "$app"
  dir=$deployments_dir/$id
  [ -d "$dir/request" ] || fail NOT_FOUND "No deployment $id of $app"
  load_options "$dir/request/options"
}

# load_options FILE: sets opt_<key> for every line of FILE. validate_options then checks them all
# (deploy-start.sh does, before it writes the request where only this user can change it).
load_options() {
  opt_source_kind='' opt_source_id='' opt_trigger='' opt_port='' opt_health_kind='' opt_health_path=''
  opt_health_interval='' opt_health_timeout='' opt_health_retries='' opt_health_start='' opt_memory=''
  opt_cpus='' opt_pids='' opt_restart='' opt_build_memory='' opt_build_timeout='' opt_drain=''
  opt_keep='' opt_dockerfile='' opt_verify_host='' opt_git_url='' opt_rollback_of='' opt_lock_timeout='' opt_build_key=''
  opt_template_version=''
  opt_compose_file=''
  while IFS= read -r line || [ -n "$line" ]; do
    value=${line#*=}
    case ${line%%=*} in
      source_kind) opt_source_kind=$value ;;
      source_id) opt_source_id=$value ;;
      trigger) opt_trigger=$value ;;
      port) opt_port=$value ;;
      health_kind) opt_health_kind=$value ;;
      health_path) opt_health_path=$value ;;
      health_interval) opt_health_interval=$value ;;
      health_timeout) opt_health_timeout=$value ;;
      health_retries) opt_health_retries=$value ;;
      health_start) opt_health_start=$value ;;
      memory) opt_memory=$value ;;
      cpus) opt_cpus=$value ;;
      pids) opt_pids=$value ;;
      restart) opt_restart=$value ;;
      build_memory) opt_build_memory=$value ;;
      build_timeout) opt_build_timeout=$value ;;
      drain) opt_drain=$value ;;
      keep) opt_keep=$value ;;
      dockerfile) opt_dockerfile=$value ;;
      verify_host) opt_verify_host=$value ;;
      git_url) opt_git_url=$value ;;
      rollback_of) opt_rollback_of=$value ;;
      lock_timeout) opt_lock_timeout=$value ;;
      build_key) opt_build_key=$value ;;
      template_version) opt_template_version=$value ;;
      compose_file) opt_compose_file=$value ;;
      *) fail INVALID_ARGUMENT "Unknown deployment option: ${line%%=*}" ;;
    esac
  done <"$1"
}

# validate_options: every option is valid, or the first that is not fails (lib/validate.sh's require).
# A check is a process (grep), and starting processes is most of what a deploy waits for on a busy
# server: so all values are checked by one grep first, and only when that finds a fault one by one,
# for its message.
validate_options() {
  option_values='' option_patterns='' option_count=0 option_one_by_one=0
  check_options
  matched=$(
    grep -Exc -f /dev/fd/3 3<<PATTERNS <<VALUES || true
${option_patterns%?}
PATTERNS
${option_values%?}
VALUES
  )
  if [ "$option_one_by_one" = 1 ] || [ "$matched" != "$option_count" ]; then
    option_one_by_one=1
    check_options
  fi
  [ "$opt_port" -le 65535 ] || fail INVALID_OPTION "Invalid port: \"$opt_port\"" 'Expected a port number from 1 to 65535.'
}

# want NAME VALUE PATTERN [EXPECTED]: like require; in a batch (see validate_options) until a fault.
want() {
  if [ "$option_one_by_one" = 1 ]; then
    require "$@"
    return
  fi
  case $2 in
    *'
'*) option_one_by_one=1 ;;
  esac
  option_count=$((option_count + 1))
  # Numbered: each value matches its own pattern only (-x: the whole line).
  option_values="$option_values$option_count:$2
"
  option_patterns="$option_patterns$option_count:($3)
"
}

check_options() {
  want 'source kind' "$opt_source_kind" 'folder|git|image'
  case $opt_source_kind in
    folder)
      want 'source id' "$opt_source_id" "$SHA256_PATTERN" 'an upload id (sha256)'
      want 'build key' "$opt_build_key" "$SHA256_PATTERN"
      ;;
    git)
      want 'source id' "$opt_source_id" "$COMMIT_PATTERN" 'a full commit id'
      want 'git URL' "$opt_git_url" "$GIT_URL_PATTERN"
      want 'build key' "$opt_build_key" "$SHA256_PATTERN"
      ;;
    image) want 'rollback target' "$opt_rollback_of" "$DEPLOYMENT_ID_PATTERN" 'a deployment id' ;;
  esac
  [ "$opt_source_kind" = image ] || [ -z "$opt_rollback_of" ] || fail INVALID_ARGUMENT 'rollback_of needs source_kind=image'
  want trigger "$opt_trigger" "$TRIGGER_PATTERN"
  want port "$opt_port" "$PORT_PATTERN" 'a port number from 1 to 65535'
  want 'health check' "$opt_health_kind" 'http|image'
  [ "$opt_health_kind" != http ] || want 'health path' "$opt_health_path" "$HEALTH_PATH_PATTERN"
  for seconds in "$opt_health_interval" "$opt_health_timeout" "$opt_health_retries" "$opt_health_start" \
    "$opt_build_timeout" "$opt_drain" "$opt_keep" "$opt_lock_timeout"; do
    want 'duration or count' "$seconds" "$SECONDS_PATTERN"
  done
  [ -z "$opt_memory" ] || want memory "$opt_memory" "$MEMORY_PATTERN" 'a size such as 512m'
  [ -z "$opt_build_memory" ] || want 'build memory' "$opt_build_memory" "$MEMORY_PATTERN" 'a size such as 2g'
  [ -z "$opt_cpus" ] || want cpus "$opt_cpus" "$CPUS_PATTERN" 'a number of CPUs such as 0.5'
  [ -z "$opt_pids" ] || want 'pids limit' "$opt_pids" '[1-9][0-9]{0,6}'
  want 'restart policy' "$opt_restart" "$RESTART_PATTERN"
  want Dockerfile "$opt_dockerfile" "$DOCKERFILE_PATTERN" 'a relative path'
  case /$opt_dockerfile/ in */../*) fail INVALID_OPTION "Invalid Dockerfile: $opt_dockerfile" ;; esac
  [ -z "$opt_verify_host" ] || want 'host' "$opt_verify_host" "$HOST_PATTERN"
  [ -z "$opt_template_version" ] || want 'template version' "$opt_template_version" "$TEMPLATE_VERSION_PATTERN"
  # A compose app's (stack-run.sh).
  [ -z "$opt_compose_file" ] || want 'compose file' "$opt_compose_file" "$COMPOSE_FILE_PATTERN" 'a relative path'
  case /$opt_compose_file/ in */../*) fail INVALID_OPTION "Invalid compose file: $opt_compose_file" ;; esac
}

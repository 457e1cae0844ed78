/**
 * Shell completion scripts for `papers completion bash|zsh|fish`, generated from the
 * commander program itself (commands, aliases, options, `.choices()`), so a new flag
 * completes without anyone editing a script. Value lists commander cannot know
 * (`--format`, `--source`, field names) come from the tables below.
 */
import { type Command, type Option } from 'commander';
import { FORMAT_NAMES } from './sources/registry.js';
import { FIELD_PATHS } from './render/fields.js';

/** Shells we generate scripts for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
/** A shell we generate a script for. */
export type Shell = (typeof SHELLS)[number];

/** `--format` values of the exporting commands (`import --format` takes FORMAT_NAMES instead). */
export const EXPORT_FORMATS = ['jsonl', 'json', 'csv', 'tsv', 'md', 'bibtex'] as const;

/** arXiv categories offered for `--category` and `--source arxiv:…`: the ones papers on HF come from most. Any other still works when typed. */
export const ARXIV_CATEGORIES = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG', 'cs.IR', 'cs.NE', 'cs.RO', 'cs.CR', 'cs.SE', 'cs.HC', 'cs.SD', 'eess.AS', 'eess.IV', 'stat.ML'] as const;

/** `--source` values offered. */
export const SOURCE_VALUES: readonly string[] = ['hf', 'arxiv', ...ARXIV_CATEGORIES.map((c) => `arxiv:${c}`)];

/** What a word can complete to: nothing known, file names, words, or a comma-separated list of words. */
export type Completion =
  | { kind: 'none' }
  | { kind: 'files' }
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'list'; words: readonly string[] };

const NONE: Completion = { kind: 'none' };
const FILES: Completion = { kind: 'files' };
const words = (w: readonly string[]): Completion => ({ kind: 'words', words: w });

/** Values of options by long name, for options declared without `.choices()`. */
const VALUE_HINTS: Record<string, Completion> = {
  '--source': words(SOURCE_VALUES),
  '--category': words(ARXIV_CATEGORIES),
  '--date': words(['today', 'yesterday']),
  '--since': words(['today', 'yesterday']),
  '--until': words(['today', 'yesterday']),
  '--fields': { kind: 'list', words: FIELD_PATHS },
};

/** One option as the scripts need it. */
interface OptSpec {
  short?: string;
  long?: string;
  description: string;
  takesValue: boolean;
  /** The placeholder in the flags (`<day>` → `day`), for zsh's messages. */
  placeholder: string;
  values: Completion;
}

/** One command (the program itself at the root) as the scripts need it. */
interface CmdSpec {
  /** Canonical names from the root, e.g. `['cache', 'stats']`; `[]` for the program. */
  path: string[];
  name: string;
  aliases: string[];
  description: string;
  options: OptSpec[];
  subcommands: CmdSpec[];
  args: Completion;
}

/** The placeholder of an option's value: `--db <path>` → `path`. */
function placeholderOf(flags: string): string {
  return /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(flags)?.[1] ?? '';
}

/** What an option's value completes to: its choices, a known list, files for `<path>`/`<file>`, else nothing. */
function optionValues(opt: Option, path: string[]): Completion {
  if (opt.argChoices?.length) return words(opt.argChoices);
  if (opt.long === '--format') return words(path[path.length - 1] === 'import' ? FORMAT_NAMES : EXPORT_FORMATS);
  const hint = opt.long ? VALUE_HINTS[opt.long] : undefined;
  if (hint) return hint;
  return /file|path|dir/i.test(placeholderOf(opt.flags)) ? FILES : NONE;
}

/** What a command's positional arguments complete to. */
function argValues(cmd: Command, siblings: string[]): Completion {
  // commander's implicit `help [command]` (and any `help` command) completes command names.
  if (cmd.name() === 'help' && !cmd.registeredArguments.some((a) => a.argChoices)) return words(siblings);
  for (const arg of cmd.registeredArguments) {
    if (arg.argChoices?.length) return words(arg.argChoices);
    if (/file|path|dir/i.test(arg.name())) return FILES;
  }
  return NONE;
}

/** Read a commander command (recursively) into a CmdSpec. */
function specOf(cmd: Command, path: string[], siblings: string[]): CmdSpec {
  const help = cmd.createHelp();
  const subs = help.visibleCommands(cmd);
  const subNames = subs.map((c) => c.name()).filter((n) => n !== 'help');
  return {
    path,
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: oneLine(cmd.description()),
    options: help.visibleOptions(cmd).map((o) => ({
      short: o.short,
      long: o.long,
      description: oneLine(o.description),
      takesValue: o.required || o.optional,
      placeholder: placeholderOf(o.flags) || 'value',
      values: optionValues(o, path),
    })),
    subcommands: subs.map((c) => specOf(c, [...path, c.name()], subNames)),
    args: subs.length > 0 ? NONE : argValues(cmd, siblings),
  };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every command of the tree, parents first. */
function walk(spec: CmdSpec): CmdSpec[] {
  return [spec, ...spec.subcommands.flatMap(walk)];
}

/** The options a command accepts: its own, then the program's (commander reads those anywhere on the line). */
function optionsAt(spec: CmdSpec, root: CmdSpec): OptSpec[] {
  if (spec === root) return spec.options;
  const own = new Set(spec.options.flatMap(flagsOf));
  return [...spec.options, ...root.options.filter((o) => !flagsOf(o).some((f) => own.has(f)))];
}

const flagsOf = (o: OptSpec) => [o.short, o.long].filter((f): f is string => !!f);
// Completion words must be single shell words; anything else is left out rather than mis-quoted.
const safeWords = (w: readonly string[]) => w.filter((x) => /^[\w.:@/+-]+$/.test(x));
const identifier = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
/** POSIX shell single quotes (bash, zsh). */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** fish single quotes: only `\` and `'` are escaped. */
const fishQuote = (s: string) => `'${s.replace(/[\\']/g, '\\$&')}'`;

/** The completion script for `shell`, generated from `program`. */
export function completionScript(shell: Shell, program: Command): string {
  const root = specOf(program, [], []);
  switch (shell) {
    case 'bash':
      return bashScript(root);
    case 'zsh':
      return zshScript(root);
    case 'fish':
      return fishScript(root);
  }
}

// ---------------------------------------------------------------------------- bash

/** A case-statement arm. */
const arm = (patterns: string[], body: string) => `    ${patterns.join('|')}) ${body} ;;`;

/** The value lookup result as the bash/fish scripts read it: `@files`, `@list w…`, or `w…`. */
function encodeValues(c: Completion): string | null {
  switch (c.kind) {
    case 'none':
      return null;
    case 'files':
      return '@files';
    case 'words':
      return safeWords(c.words).join(' ');
    case 'list':
      return '@list ' + safeWords(c.words).join(' ');
  }
}

function bashScript(root: CmdSpec): string {
  const prog = root.name;
  const fn = '_' + identifier(prog);
  const all = walk(root);
  const key = (spec: CmdSpec) => spec.path.join(' ');
  const subArms: string[] = [];
  const takesArms: string[] = [];
  const valueArms: string[] = [];
  const optArms: string[] = [];
  const subsArms: string[] = [];
  const argArms: string[] = [];
  for (const spec of all) {
    for (const sub of spec.subcommands) {
      subArms.push(arm([sub.name, ...sub.aliases].map((n) => shQuote(`${key(spec)}|${n}`)), `echo ${shQuote(sub.name)}; return 0`));
    }
    // The program's own options are matched for every path ('*|--db') after the specific ones.
    for (const o of spec === root ? [] : spec.options) {
      if (!o.takesValue) continue;
      takesArms.push(arm(flagsOf(o).map((f) => shQuote(`${key(spec)}|${f}`)), 'return 0'));
      const v = encodeValues(o.values);
      if (v) valueArms.push(arm(flagsOf(o).map((f) => shQuote(`${key(spec)}|${f}`)), `echo ${shQuote(v)}`));
    }
    optArms.push(arm([shQuote(key(spec))], `echo ${shQuote(optionsAt(spec, root).flatMap(flagsOf).join(' '))}`));
    if (spec.subcommands.length > 0) {
      subsArms.push(arm([shQuote(key(spec))], `echo ${shQuote(spec.subcommands.flatMap((s) => [s.name, ...s.aliases]).join(' '))}`));
    }
    const a = encodeValues(spec.args);
    if (a) argArms.push(arm([shQuote(key(spec))], `echo ${shQuote(a)}`));
  }
  for (const o of root.options) {
    if (!o.takesValue) continue;
    takesArms.push(arm(flagsOf(o).map((f) => `*${shQuote('|' + f)}`), 'return 0'));
    const v = encodeValues(o.values);
    if (v) valueArms.push(arm(flagsOf(o).map((f) => `*${shQuote('|' + f)}`), `echo ${shQuote(v)}`));
  }
  const caseFn = (name: string, comment: string, subject: string, arms: string[], fallback: string) =>
    `# ${comment}\n${fn}_${name}() {\n  case ${subject} in\n${arms.join('\n')}${arms.length ? '\n' : ''}  esac\n  ${fallback}\n}\n`;

  return `# bash completion for ${prog}                              -*- shell-script -*-
# Generated by \`${prog} completion bash\`; install it as README "Shell completions" says.

${caseFn('sub', 'PATH WORD: the canonical name if WORD is a subcommand at PATH', '"$1|$2"', subArms, 'return 1')}
${caseFn('takes_value', 'PATH OPTION: succeeds if OPTION takes a value', '"$1|$2"', takesArms, 'return 1')}
${caseFn('values', 'PATH OPTION: what its value completes to (@files, @list WORDS, or WORDS)', '"$1|$2"', valueArms, 'return 0')}
${caseFn('opts', 'PATH: the options accepted there', '"$1"', optArms, 'return 0')}
${caseFn('subs', 'PATH: the subcommands there', '"$1"', subsArms, 'return 0')}
${caseFn('args', 'PATH: what positional arguments complete to', '"$1"', argArms, 'return 0')}
${fn}() {
  local IFS=$' \\t\\n'
  # Words are re-read from the line: bash's own COMP_WORDS splits at ':' and '=', which
  # would break "--source arxiv:cs.LG" and "--color=never" into pieces.
  local line="\${COMP_LINE:0:COMP_POINT}" cur="" path="" w sub i skip=0
  local -a words=()
  read -r -a words <<< "$line"
  if [[ -n "$line" && "$IFS" != *"\${line: -1}"* && \${#words[@]} -gt 0 ]]; then
    cur="\${words[\${#words[@]}-1]}"
    unset "words[\${#words[@]}-1]"
  fi
  # The subcommand path, skipping options and the values they take.
  for ((i = 1; i < \${#words[@]}; i++)); do
    w="\${words[i]}"
    if ((skip)); then
      skip=0
      continue
    fi
    case "$w" in
      -*=*) ;;
      -*) ${fn}_takes_value "$path" "$w" && skip=1 ;;
      *) sub="$(${fn}_sub "$path" "$w")" && path="\${path:+$path }$sub" ;;
    esac
  done
  local vals prefix=""
  if ((skip)); then
    vals="$(${fn}_values "$path" "\${words[\${#words[@]}-1]}")"
  elif [[ "$cur" == -*=* ]]; then
    prefix="\${cur%%=*}="
    vals="$(${fn}_values "$path" "\${cur%%=*}")"
    cur="\${cur#*=}"
  elif [[ "$cur" == -* ]]; then
    vals="$(${fn}_opts "$path")"
  else
    vals="$(${fn}_subs "$path")"
    [[ -n "$vals" ]] || vals="$(${fn}_args "$path")"
  fi
  local -a cands=()
  local c
  case "$vals" in
    @files)
      while IFS= read -r c; do cands+=("$prefix$c"); done < <(compgen -f -- "$cur")
      type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
      ;;
    @list\\ *)
      # A comma-separated list: complete the item after the last comma.
      prefix="$prefix\${cur%"\${cur##*,}"}"
      cur="\${cur##*,}"
      while IFS= read -r c; do cands+=("$prefix$c"); done < <(compgen -W "\${vals#@list }" -- "$cur")
      ;;
    ?*)
      while IFS= read -r c; do cands+=("$prefix$c"); done < <(compgen -W "$vals" -- "$cur")
      ;;
  esac
  # bash replaces only the part of the word after its last ':' or '=' (when they are in
  # COMP_WORDBREAKS), so that much is cut from the front of every candidate.
  local full="$prefix$cur" tail t
  tail="$full"
  if [[ "$COMP_WORDBREAKS" == *:* ]]; then t="\${full##*:}"; ((\${#t} < \${#tail})) && tail="$t"; fi
  if [[ "$COMP_WORDBREAKS" == *=* ]]; then t="\${full##*=}"; ((\${#t} < \${#tail})) && tail="$t"; fi
  local head="\${full%"$tail"}"
  COMPREPLY=()
  if ((\${#cands[@]})); then
    for c in "\${cands[@]}"; do COMPREPLY+=("\${c#"$head"}"); done
  fi
  return 0
}
complete -F ${fn} ${prog}
`;
}

// ----------------------------------------------------------------------------- zsh

/** Text for inside `[…]` of an _arguments spec (brackets would end it early). */
const zshExplanation = (s: string) => s.replace(/\[/g, '(').replace(/]/g, ')').replace(/\\/g, '');

function zshScript(root: CmdSpec): string {
  const prog = root.name;
  const fnOf = (spec: CmdSpec) => '_' + identifier([prog, ...spec.path].join('_'));
  const valuesFn = `_${identifier(prog)}__values`;
  const valueArms: string[] = [];
  // Every list of words goes through one dispatcher, so no value (`arxiv:cs.LG`) ever sits
  // inside an _arguments spec, where ':' is a separator.
  const action = (c: Completion, key: string): string => {
    switch (c.kind) {
      case 'none':
        return ' ';
      case 'files':
        return '_files';
      case 'words':
        valueArms.push(`    (${shQuote(key)}) compadd -- ${safeWords(c.words).map(shQuote).join(' ')} ;;`);
        return `{${valuesFn} ${key}}`;
      case 'list':
        valueArms.push(`    (${shQuote(key)}) _values -s , ${shQuote('item')} ${safeWords(c.words).map(shQuote).join(' ')} ;;`);
        return `{${valuesFn} ${key}}`;
    }
  };
  const optSpecs = (spec: CmdSpec): string[] =>
    optionsAt(spec, root).flatMap((o) => {
      const flags = flagsOf(o);
      const exclusive = flags.length > 1 ? `(${flags.join(' ')})` : '';
      const key = `${spec.path.join('/')}/${o.long ?? o.short}`.replace(/[^\w./-]/g, '_');
      const tail = o.takesValue ? `:${identifier(o.placeholder)}:${action(o.values, key)}` : '';
      // `--long=` takes its value as the next word or after '='; `-s+` as the next word or glued.
      return flags.map((f) => shQuote(`${exclusive}${f}${o.takesValue ? (f.startsWith('--') ? '=' : '+') : ''}[${zshExplanation(o.description)}]${tail}`));
    });
  const functions: string[] = [];
  for (const spec of walk(root)) {
    const specs = optSpecs(spec);
    const label = [prog, ...spec.path].join(' ');
    if (spec.subcommands.length > 0) {
      const entries = spec.subcommands.flatMap((s) => [s.name, ...s.aliases].map((n) => shQuote(`${n.replace(/:/g, '\\:')}:${s.description}`)));
      const cases = spec.subcommands.map((s) => `        (${[s.name, ...s.aliases].map(shQuote).join('|')}) ${fnOf(s)} && ret=0 ;;`);
      functions.push(`${fnOf(spec)}() {
  local curcontext="$curcontext" state state_descr line ret=1
  typeset -A opt_args
  _arguments -C \\
${specs.map((s) => `    ${s} \\`).join('\n')}
    '1: :->command' \\
    '*:: :->argument' && ret=0
  case $state in
    (command)
      local -a commands
      commands=(
${entries.map((e) => `        ${e}`).join('\n')}
      )
      _describe -t commands ${shQuote(`${label} command`)} commands && ret=0
      ;;
    (argument)
      curcontext="\${curcontext%:*:*}:${identifier(label).replace(/_/g, '-')}-$words[1]:"
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
  return ret
}
`);
    } else {
      const args =
        spec.args.kind === 'none' ? [] : [shQuote(`*:${spec.args.kind === 'files' ? 'file' : 'argument'}:${action(spec.args, `${spec.path.join('/')}/@args`)}`)];
      const lines = [...specs, ...args];
      functions.push(`${fnOf(spec)}() {\n  _arguments${lines.map((l) => ` \\\n    ${l}`).join('')}\n}\n`);
    }
  }
  return `#compdef ${prog}
# zsh completion for ${prog}, generated by \`${prog} completion zsh\`; install it as README "Shell completions" says.

${valuesFn}() {
  case $1 in
${valueArms.join('\n')}
  esac
}

${functions.join('\n')}
# Autoloaded from $fpath (#compdef above) the file runs as the completion function;
# sourced (\`source <(${prog} completion zsh)\`) it registers the function instead.
if [ "$funcstack[1]" = "${fnOf(root)}" ]; then
  ${fnOf(root)} "$@"
else
  compdef ${fnOf(root)} ${prog}
fi
`;
}

// ---------------------------------------------------------------------------- fish

function fishScript(root: CmdSpec): string {
  const prog = root.name;
  const fn = '__' + identifier(prog);
  const all = walk(root);
  const key = (spec: CmdSpec) => spec.path.join(' ');
  const fcase = (patterns: string[], body: string) => `        case ${patterns.join(' ')}\n            ${body}`;
  const subArms: string[] = [];
  const takesArms: string[] = [];
  for (const spec of all) {
    for (const sub of spec.subcommands) {
      subArms.push(fcase([sub.name, ...sub.aliases].map((n) => fishQuote(`${key(spec)}|${n}`)), `echo ${fishQuote(sub.name)}; return 0`));
    }
    for (const o of spec.options) {
      if (!o.takesValue) continue;
      // The program's options take their value anywhere on the line.
      const prefix = spec === root ? '*' : key(spec);
      takesArms.push(fcase(flagsOf(o).map((f) => fishQuote(`${prefix}|${f}`)), 'return 0'));
    }
  }
  const lines: string[] = [`complete -c ${prog} -f`];
  const valueFlags = (c: Completion): string => {
    switch (c.kind) {
      case 'none':
        return ' -x';
      case 'files':
        return ' -r -F';
      case 'words':
        return ` -x -a ${fishQuote(safeWords(c.words).join(' '))}`;
      case 'list':
        return ` -x -a ${fishQuote(`(${fn}_list_values ${safeWords(c.words).join(' ')})`)}`;
    }
  };
  const optionLine = (o: OptSpec, condition: string) =>
    `complete -c ${prog}${condition}${o.short ? ` -s ${o.short.replace(/^-/, '')}` : ''}${o.long ? ` -l ${o.long.replace(/^--/, '')}` : ''}` +
    `${o.takesValue ? valueFlags(o.values) : ''} -d ${fishQuote(o.description)}`;
  for (const spec of all) {
    const at = ` -n ${fishQuote(`${fn}_at ${shQuote(key(spec))}`)}`;
    lines.push('', `# ${[prog, ...spec.path].join(' ')}`);
    // The program's options apply everywhere: no condition.
    for (const o of spec.options) lines.push(optionLine(o, spec === root ? '' : at));
    for (const sub of spec.subcommands) {
      for (const n of [sub.name, ...sub.aliases]) lines.push(`complete -c ${prog}${at} -a ${fishQuote(n)} -d ${fishQuote(sub.description)}`);
    }
    const a = spec.args;
    if (a.kind === 'files') lines.push(`complete -c ${prog}${at} -F`);
    else if (a.kind === 'words') lines.push(`complete -c ${prog}${at} -a ${fishQuote(safeWords(a.words).join(' '))}`);
    else if (a.kind === 'list') lines.push(`complete -c ${prog}${at} -a ${fishQuote(`(${fn}_list_values ${safeWords(a.words).join(' ')})`)}`);
  }
  return `# fish completion for ${prog}, generated by \`${prog} completion fish\`; install it as README "Shell completions" says.

# PATH WORD: print the canonical name if WORD is a subcommand at PATH
function ${fn}_sub
    switch "$argv[1]|$argv[2]"
${subArms.join('\n')}
    end
    return 1
end

# PATH OPTION: succeed if OPTION takes a value
function ${fn}_takes_value
    switch "$argv[1]|$argv[2]"
${takesArms.join('\n')}
    end
    return 1
end

# The subcommand path of the line being completed ("" for the program itself).
function ${fn}_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case '-*=*'
            case '-*'
                ${fn}_takes_value "$path" $t; and set skip 1
            case '*'
                set -l sub (${fn}_sub "$path" $t); and set path (string trim -- "$path $sub")
        end
    end
    echo $path
end

function ${fn}_at
    set -l path (${fn}_path)
    test "$path" = "$argv[1]"
end

# WORDS: complete one item of a comma-separated list
function ${fn}_list_values
    set -l token (string replace -r -- '^-[^=]*=' '' (commandline -ct))
    set -l head (string replace -r -- '[^,]*$' '' $token)
    for w in $argv
        echo $head$w
    end
end

${lines.join('\n')}
`;
}

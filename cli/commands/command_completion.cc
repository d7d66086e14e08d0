// `regdigest completion bash|zsh|fish`: a shell completion script generated
// from the commands and options regdigest has (so it never goes stale):
// command names after `regdigest`, each command's options and the global
// ones after it, files for FILE options and the values of --output.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

struct CommandWords {
  std::string name;
  std::string description;
  std::vector<std::string> options;  // "--file", "-o", ...
};

std::vector<std::string> OptionWords(const CLI::App& app) {
  std::vector<std::string> words;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) continue;
    for (const std::string& name : option->get_snames()) words.push_back("-" + name);
    for (const std::string& name : option->get_lnames()) words.push_back("--" + name);
  }
  return words;
}

std::vector<CommandWords> Commands(const CLI::App& app) {
  std::vector<CommandWords> commands;
  for (const CLI::App* sub : app.get_subcommands({})) {
    commands.push_back({sub->get_name(), sub->get_description(), OptionWords(*sub)});
  }
  return commands;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The first sentence of a description, without characters shells treat specially.
std::string ShortDescription(const std::string& description) {
  std::string out;
  for (char c : description.substr(0, description.find(". "))) {
    if (c == '\'' || c == '"' || c == '`' || c == '$' || c == '\\') continue;
    out += c;
  }
  return out.size() > 70 ? out.substr(0, 67) + "..." : out;
}

std::string BashScript(const CLI::App& app) {
  const std::vector<CommandWords> commands = Commands(app);
  std::vector<std::string> names;
  for (const CommandWords& command : commands) names.push_back(command.name);
  std::string out =
      "# bash completion for regdigest (regdigest completion bash)\n"
      "_regdigest() {\n"
      "  local cur prev command i\n"
      "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
      "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${COMP_WORDS[i]}\" in -*) ;; *) command=\"${COMP_WORDS[i]}\"; break ;; esac\n"
      "  done\n"
      "  case \"$prev\" in\n"
      "    -o|--output) COMPREPLY=($(compgen -W \"text json junit github\" -- \"$cur\")); return "
      ";;\n"
      "    --file|--files|--from|--config|--ca-file|--db) COMPREPLY=($(compgen -f -- \"$cur\")); "
      "return ;;\n"
      "  esac\n"
      "  local globals=\"" +
      Join(OptionWords(app)) +
      "\"\n"
      "  case \"$command\" in\n"
      "    \"\") COMPREPLY=($(compgen -W \"" +
      Join(names) + " $globals\" -- \"$cur\")); return ;;\n";
  for (const CommandWords& command : commands) {
    out += "    " + command.name + ") COMPREPLY=($(compgen -W \"" + Join(command.options) +
           " $globals\" -- \"$cur\")) ;;\n";
  }
  out +=
      "  esac\n"
      "  if [[ \"$cur\" != -* && \"$command\" == @(pin|help) ]]; then\n"
      "    COMPREPLY+=($(compgen -f -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o default -F _regdigest regdigest\n";
  return out;
}

std::string ZshScript(const CLI::App& app) {
  return "#compdef regdigest\n"
         "# zsh completion for regdigest (regdigest completion zsh): the bash one, through\n"
         "# zsh's bashcompinit.\n"
         "autoload -U +X bashcompinit && bashcompinit\n" +
         BashScript(app);
}

std::string FishScript(const CLI::App& app) {
  const std::vector<CommandWords> commands = Commands(app);
  std::vector<std::string> names;
  for (const CommandWords& command : commands) names.push_back(command.name);
  const std::string all = Join(names);
  std::string out = "# fish completion for regdigest (regdigest completion fish)\n";
  out += "complete -c regdigest -f\n";
  for (const CommandWords& command : commands) {
    out += "complete -c regdigest -n \"not __fish_seen_subcommand_from " + all + "\" -a " +
           command.name + " -d '" + ShortDescription(command.description) + "'\n";
    for (const std::string& option : command.options) {
      if (option.rfind("--", 0) != 0) continue;
      out += "complete -c regdigest -n \"__fish_seen_subcommand_from " + command.name + "\" -l " +
             option.substr(2) + "\n";
    }
  }
  for (const std::string& option : OptionWords(app)) {
    if (option.rfind("--", 0) == 0) out += "complete -c regdigest -l " + option.substr(2) + "\n";
  }
  return out;
}

}  // namespace

void AddCompletionCommand(CLI::App& app, CommandRunner& run) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "completion",
      "Print a shell completion script: bash (source it, or save it as "
      "/etc/bash_completion.d/regdigest), zsh (save it as _regdigest in a folder of $fpath) "
      "or fish (save it as ~/.config/fish/completions/regdigest.fish)");
  command->add_option("SHELL", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command->footer(
      "Example: source <(regdigest completion bash)\n"
      "Exit status: 0 printed; 2 an unknown shell.");
  command->callback([&app, shell, &run] {
    run = [&app, shell] {
      if (*shell == "bash") std::cout << BashScript(app);
      if (*shell == "zsh") std::cout << ZshScript(app);
      if (*shell == "fish") std::cout << FishScript(app);
      return kExitOk;
    };
  });
}

}  // namespace regdigest

// `regdigest login` / `regdigest logout`: credentials in Docker's config.json,
// so docker and regdigest share them. login checks them against the registry first.
#include <iostream>

#include "cli/app/password_prompt.h"
#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"
#include "client/registry/registry_client.h"
#include "client/registry/transport_stack.h"
#include "common/base/display_text.h"
#include "common/base/url.h"
#include "common/image/reference.h"
#include "common/registry/endpoint.h"
#include "common/registry/registry_error.h"

namespace regdigest {
namespace {

// "https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io" -> "docker.io";
// "https://myreg:5000/" -> "myreg:5000".
std::string RegistryDomain(std::string input) {
  if (input.find("://") != std::string::npos) {
    if (Result<Url> url = Url::Parse(input); url.ok()) input = url->Authority();
  } else if (size_t slash = input.find('/'); slash != std::string::npos) {
    input.resize(slash);
  }
  if (input == "index.docker.io" || input == "registry-1.docker.io") return "docker.io";
  return input;
}

// The registry named by `input`, which must be a host with an optional port
// (a URL's path is dropped; a query, fragment, user or empty name is refused).
Result<std::string> RegistryFromArgument(const std::string& input) {
  const std::string domain = RegistryDomain(input);
  const std::string refused = "not a registry name: \"" + DisplayText(input) +
                              "\" (give a host name with an optional port, e.g. ghcr.io or "
                              "localhost:5000)";
  if (domain.empty() || input.find_first_of("?#@ ") != std::string::npos) {
    return Status(StatusCode::kUsage, refused);
  }
  Result<Reference> probe = Reference::Parse(domain + "/probe");
  if (!probe.ok() || probe->domain() != domain) return Status(StatusCode::kUsage, refused);
  return domain;
}

// GET /v2/ with the new credentials, as `docker login` does.
Status VerifyLogin(const GlobalOptions& globals, const std::string& domain, AuthEntry entry) {
  Result<ToolConfig> config = LoadToolConfig(globals);
  if (!config.ok()) return config.status();
  auto transport = MakeRegistryTransport(TransportSettings{*config, globals.ca_file},
                                         std::make_shared<StaticCredentials>(domain, entry))
                       .transport;
  // Through RegistryClient, so a loopback or insecure registry gets https, then http.
  Result<HttpResponse> response = RegistryClient(transport, *config).Ping(domain);
  if (!response.ok()) return response.status().WithContext("login to " + domain);
  if (response->status == 200) return Status::Ok();
  return RegistryErrorStatus(response->status, response->body, "login to " + domain);
}

int RunLogin(const GlobalOptions& globals, const std::string& registry, const std::string& user,
             bool password_stdin) {
  Result<std::string> parsed_domain = RegistryFromArgument(registry);
  if (!parsed_domain.ok()) {
    PrintError(parsed_domain.status().message());
    return kExitUsage;
  }
  const std::string domain = *parsed_domain;
  std::string password;
  if (password_stdin) {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else if (StdinIsTerminal()) {
    Result<std::string> typed = PromptPassword("Password: ");
    if (!typed.ok()) {
      PrintError(typed.status().message());
      return ExitStatusFor(typed.status().code());
    }
    password = std::move(typed).value();
  } else {
    PrintError(
        "login needs --password-stdin when standard input is not a terminal (passwords on the "
        "command line leak into history)");
    return kExitUsage;
  }
  if (user.empty() || password.empty()) {
    PrintError("login needs a username (-u) and a password");
    return kExitUsage;
  }
  AuthEntry entry;
  entry.username = user;
  entry.password = password;
  if (Status verified = VerifyLogin(globals, domain, entry); !verified.ok()) {
    PrintError(verified.ToString());
    return ExitStatusFor(verified.code());
  }
  Result<std::string> config_path = DockerCredentialStore::DefaultPath();
  if (!config_path.ok()) {
    PrintError(config_path.status().message());
    return ExitStatusFor(config_path.status().code());
  }
  DockerCredentialStore store(*config_path);
  if (Status saved = store.Store(domain, user, password); !saved.ok()) {
    PrintError(saved.ToString());
    return ExitStatusFor(saved.code());
  }
  std::cout << "Login succeeded for " << DisplayText(domain) << " (saved in " << store.path()
            << ")\n";
  return kExitOk;
}

int RunLogout(const std::string& registry) {
  Result<std::string> parsed_domain = RegistryFromArgument(registry);
  if (!parsed_domain.ok()) {
    PrintError(parsed_domain.status().message());
    return kExitUsage;
  }
  const std::string domain = *parsed_domain;
  Result<std::string> config_path = DockerCredentialStore::DefaultPath();
  if (!config_path.ok()) {
    PrintError(config_path.status().message());
    return ExitStatusFor(config_path.status().code());
  }
  DockerCredentialStore store(*config_path);
  Status erased = store.Erase(domain);
  if (erased.code() == StatusCode::kNotFound) {
    std::cout << "Not logged in to " << DisplayText(domain) << "\n";
    return kExitOk;
  }
  if (!erased.ok()) {
    PrintError(erased.ToString());
    return ExitStatusFor(erased.code());
  }
  std::cout << "Removed credentials for " << DisplayText(domain) << " from " << store.path()
            << "\n";
  return kExitOk;
}

}  // namespace

void AddLoginCommands(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  struct Options {
    std::string registry;
    std::string user;
    bool password_stdin = false;
  };
  auto login = std::make_shared<Options>();
  CLI::App* login_cmd = app.add_subcommand(
      "login", "Check credentials against a registry and save them in Docker's config.json");
  login_cmd->add_option("REGISTRY", login->registry, "Registry, e.g. ghcr.io or localhost:5000")
      ->required();
  login_cmd->add_option("-u,--username", login->user, "User name")->type_name("USER")->required();
  login_cmd->add_flag("--password-stdin", login->password_stdin,
                      "Read the password (or token) from standard input; without it, "
                      "login asks for it on the terminal (not echoed)");
  login_cmd->footer(
      "Exit status: 0 the registry accepted the credentials and they were saved; 2 usage "
      "error (a junk registry name, no password); 3 the registry refused them or could not be "
      "reached, or config.json could not be written.");
  login_cmd->callback([login, &globals, &run] {
    run = [login, &globals] {
      return RunLogin(globals, login->registry, login->user, login->password_stdin);
    };
  });

  auto logout = std::make_shared<Options>();
  CLI::App* logout_cmd =
      app.add_subcommand("logout", "Remove a registry's credentials from Docker's config.json");
  logout_cmd->add_option("REGISTRY", logout->registry, "Registry, e.g. ghcr.io")->required();
  logout_cmd->footer(
      "Exit status: 0 removed (or there was nothing to remove); 2 a junk registry name; 3 "
      "config.json could not be read or written.");
  logout_cmd->callback([logout, &run] { run = [logout] { return RunLogout(logout->registry); }; });
}

}  // namespace regdigest

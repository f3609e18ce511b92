#include "account_routes.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "api_errors.h"
#include "auth.h"
#include "json_body.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

json principal_json(const Principal& principal) {
  json out = {{"account", principal.account_id},
              {"role", std::string(policies::role_name(principal.role))},
              {"name", principal.name}};
  if (!principal.uscc.empty()) out["uscc"] = principal.uscc;
  return out;
}

void login(const ApiContext& context, const Request& request, const Reply& reply) {
  auto body = parse_json_object(request.body);
  if (!body) return reply(error_reply(body.error()));
  FieldReader in(*body);
  std::string name = in.text("login", 64, true);
  std::string password = in.text("password", 1024, true);
  if (Status ok = in.finish(); !ok) return reply(error_reply(ok.error()));
  boost::asio::post(context.password_pool,
                    [&context, reply, name = std::move(name), password = std::move(password)] {
                      auto session = context.accounts.login(name, password, context.now_ms());
                      if (!session) return reply(error_reply(session.error()));
                      json out = principal_json(session->principal);
                      out["token"] = session->token;
                      out["expires_at"] = policies::format_time(session->expires_at_ms);
                      reply(json_response(200, out));
                    });
}

Response logout(const ApiContext& context, const Request& request) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return error_reply(principal.error());
  const std::string_view header = request.header("Authorization");
  if (Status ok = context.accounts.logout(header.substr(header.find(' ') + 1)); !ok) {
    return error_reply(ok.error());
  }
  return json_response(200, {{"logged_out", true}});
}

Response me(const ApiContext& context, const Request& request) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return error_reply(principal.error());
  return json_response(200, principal_json(*principal));
}

void register_consumer(const ApiContext& context, const Request& request, const Reply& reply) {
  auto body = parse_json_object(request.body);
  if (!body) return reply(error_reply(body.error()));
  FieldReader in(*body);
  PersonalData person;
  person.name = in.text("name", 50, true);
  person.id_number = in.text("id_number", 18, true);
  person.phone = in.text("phone", 20, true);
  person.address = in.text("address", 200, false);
  std::string password = in.text("password", 1024, true);
  if (Status ok = in.finish(); !ok) return reply(error_reply(ok.error()));
  boost::asio::post(context.password_pool, [&context, reply, person = std::move(person),
                                            password = std::move(password)] {
    auto principal = context.accounts.register_consumer(person, password, context.now_ms());
    if (!principal) return reply(error_reply(principal.error()));
    json out = principal_json(*principal);
    out["login"] = person.phone;
    reply(json_response(201, out));
  });
}

}  // namespace

void add_account_routes(Router& router, const ApiContext& context) {
  router.add("POST", "/api/v1/login",
             [&context](const Request& request, Reply reply) { login(context, request, reply); });
  router.add_sync("POST", "/api/v1/logout",
                  [&context](const Request& request) { return logout(context, request); });
  router.add_sync("GET", "/api/v1/me",
                  [&context](const Request& request) { return me(context, request); });
  router.add("POST", "/api/v1/consumers", [&context](const Request& request, Reply reply) {
    register_consumer(context, request, reply);
  });
}

}  // namespace wq::node::http

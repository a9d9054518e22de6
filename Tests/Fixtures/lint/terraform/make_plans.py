#!/usr/bin/env python3
"""Writes the Terraform plan fixtures (`terraform show -json` of a plan, format_version 1.2,
Terraform 1.9) for the auth0/auth0 provider's `auth0_connection` and `auth0_prompt`.

Shapes follow Terraform's JSON output format (resource_changes[].change.{actions, before,
after, after_unknown}, configuration.root_module.{resources, module_calls}[].expressions) and
the provider's schema (internal/auth0/connection/schema.go at a00b692): nested blocks are lists
of one object; every attribute the schema has appears in `after`, null when the configuration
does not set it on a create; on an update `before` is the state, whose unset strings are "",
numbers 0, lists []. Plans are written as Terraform writes them: one line.

Run from this folder: python3 make_plans.py"""
import json

AUTH0_OPTION_SCALARS = {
    "password_policy": None, "non_persistent_attrs": None, "set_user_root_attributes": None,
    "enable_script_context": None, "enabled_database_customization": None, "brute_force_protection": None,
    "import_mode": None, "disable_signup": None, "disable_self_service_change_password": None,
    "requires_username": None, "custom_scripts": None, "configuration": None, "strategy_version": None,
    "realm_fallback": None, "precedence": None, "upstream_params": None,
    # Attributes of other strategies' options, which the auth0 expander never reads.
    "client_id": None, "client_secret": None, "scopes": None, "use_wsfed": None, "tenant_domain": None,
}
OPTION_BLOCKS = ["validation", "password_history", "password_no_personal_info", "password_dictionary",
                 "password_complexity_options", "mfa", "passkey_options", "custom_password_hash", "password_options"]


def block(**values):
    return [values]


def identifier(active, default_method=None):
    return block(active=active, default_method=default_method)


def email(active=True, default_method=None, verification_method=None, status=None, verification=None,
          unique=None, profile_required=None):
    signup = [] if status is None and verification is None else block(
        status=status, verification=[] if verification is None else block(active=verification))
    return block(identifier=identifier(active, default_method), profile_required=profile_required,
                 verification_method=verification_method, signup=signup, unique=unique)


def username(active=True):
    return block(identifier=identifier(active), profile_required=None, signup=[], validation=[])


def methods(password=None, email_otp=None, passkey=None, phone_otp=None, signup_behavior=None):
    def method(enabled, **extra):
        return [] if enabled is None else block(enabled=enabled, **extra)
    return block(password=method(password, api_behavior=None, signup_behavior=signup_behavior),
                 passkey=method(passkey), email_otp=method(email_otp), phone_otp=method(phone_otp))


def options(attributes=None, authentication_methods=None, **scalars):
    values = dict(AUTH0_OPTION_SCALARS)
    values.update(scalars)
    for name in OPTION_BLOCKS:
        values[name] = []
    values["attributes"] = [] if attributes is None else block(**attributes)
    values["authentication_methods"] = [] if authentication_methods is None else authentication_methods
    return block(**values)


def connection(name, opts, strategy="auth0", **top):
    values = {"name": name, "strategy": strategy, "display_name": None, "is_domain_connection": None,
              "metadata": None, "realms": None, "show_as_button": None, "options": opts,
              "authentication": [], "connected_accounts": [], "cross_app_access_requesting_app": [],
              "cross_app_access_resource_app": []}
    values.update(top)
    return values


def as_state(values):
    """What state holds for a value: unset strings "", numbers 0, lists [] (SDKv2 zero values)."""
    if isinstance(values, dict):
        return {key: ("" if value is None and key in STRINGS else 0 if value is None and key in NUMBERS
                      else [] if value is None and key in LISTS else as_state(value)) for key, value in values.items()}
    if isinstance(values, list):
        return [as_state(item) for item in values]
    return values


STRINGS = {"password_policy", "set_user_root_attributes", "display_name", "client_id", "client_secret",
           "tenant_domain", "upstream_params", "default_method", "verification_method", "status",
           "api_behavior", "signup_behavior"}
NUMBERS = {"strategy_version"}
LISTS = {"non_persistent_attrs", "precedence", "scopes", "realms"}


def change(address, type_, name, actions, before, after, after_unknown=None, module=None):
    item = {"address": address, "mode": "managed", "type": type_, "name": name,
            "provider_name": "registry.terraform.io/auth0/auth0",
            "change": {"actions": actions, "before": before, "after": after,
                       "after_unknown": after_unknown or ({"id": True} if "create" in actions else {}),
                       "before_sensitive": False if before is None else {}, "after_sensitive": {}}}
    if module:
        item["module_address"] = module
    return item


def prompt(identifier_first):
    return change("auth0_prompt.login", "auth0_prompt", "login", ["create"], None,
                  {"identifier_first": identifier_first, "universal_login_experience": "new",
                   "webauthn_platform_first_factor": None}, {"id": True})


def plan(changes, configuration=None):
    document = {"format_version": "1.2", "terraform_version": "1.9.5",
                "planned_values": {"root_module": {}}, "resource_changes": changes,
                "configuration": configuration or {"provider_config": {"auth0": {"name": "auth0", "full_name": "registry.terraform.io/auth0/auth0"}},
                                                   "root_module": {"resources": []}},
                "timestamp": "2026-12-02T12:00:00Z", "applyable": True, "complete": True, "errored": False}
    return json.dumps(document, separators=(",", ":")) + "\n"


PASSWORDLESS = dict(
    attributes={"email": email(default_method="email_otp", verification_method="otp", status="required", verification=True),
                "username": [], "phone_number": []},
    authentication_methods=methods(password=False, email_otp=True))


def write(name, text):
    with open(name, "w") as file:
        file.write(text)


# A passwordless connection that passes, with Identifier First from an auth0_prompt.
write("passwordless.json", plan([
    prompt(True),
    change("auth0_connection.passwordless", "auth0_connection", "passwordless", ["create"], None,
           connection("Passwordless-Users", options(**PASSWORDLESS))),
]))

# One connection per seed rule, each failing it; the second lives in a module.
write("seed-rules.json", plan([
    prompt(True),
    change("auth0_connection.no_otp", "auth0_connection", "no_otp", ["create"], None, connection(
        "password-disabled-without-otp",
        options(attributes={"email": email(), "username": [], "phone_number": []},
                authentication_methods=methods(password=False)))),
    change('module.idp.auth0_connection.passkey["eu"]', "auth0_connection", "passkey", ["create"], None, connection(
        "passkey-only",
        options(attributes={"email": email(), "username": [], "phone_number": []},
                authentication_methods=methods(password=False, passkey=True))), module="module.idp"),
    change("auth0_connection.username_otp", "auth0_connection", "username_otp", ["create"], None, connection(
        "username-with-pure-otp",
        options(attributes={"email": email(verification_method="otp", status="required", verification=True),
                            "username": username(), "phone_number": []},
                authentication_methods=methods(password=False, email_otp=True)))),
    change("auth0_connection.no_verification", "auth0_connection", "no_verification", ["create"], None, connection(
        "verification-missing",
        options(attributes={"email": email(verification_method="otp", status="required", verification=False),
                            "username": [], "phone_number": []},
                authentication_methods=methods(password=False, email_otp=True, signup_behavior="block")))),
]))

# An update that flips email.unique; before is state (zero values where nothing was set).
stored = connection("Users", options(
    attributes={"email": email(unique=True), "username": [], "phone_number": []},
    authentication_methods=methods(password=True)))
before = as_state(dict(stored, id="con_0123456789abcdef"))
after = as_state(dict(stored, id="con_0123456789abcdef"))
after["options"][0]["attributes"][0]["email"][0]["unique"] = False
write("update-unique.json", plan([
    change("auth0_connection.users", "auth0_connection", "users", ["update"], before, after, {}),
]))

# Values unknown until apply: default_method comes from another resource; id and the
# computed show_as_button are unknown too, but the configuration does not set them.
unknown_after = connection("Unknown-Users", options(**PASSWORDLESS))
del unknown_after["show_as_button"]
unknown_after["options"][0]["attributes"][0]["email"][0]["identifier"][0]["default_method"] = None
del unknown_after["options"][0]["attributes"][0]["email"][0]["identifier"][0]["default_method"]
unknown = {"id": True, "show_as_button": True,
           "options": [{"attributes": [{"email": [{"identifier": [{"default_method": True}]}]}]}]}
configuration = {"root_module": {"resources": [{
    "address": "auth0_connection.unknown", "mode": "managed", "type": "auth0_connection", "name": "unknown",
    "provider_config_key": "auth0",
    "expressions": {"name": {"constant_value": "Unknown-Users"}, "strategy": {"constant_value": "auth0"},
                    "options": [{"attributes": [{"email": [{"identifier": [{
                        "active": {"constant_value": True},
                        "default_method": {"references": ["terraform_data.method.output", "terraform_data.method"]}}]}]}]}]}}]}}
write("unknown.json", plan([
    prompt(True),
    change("auth0_connection.unknown", "auth0_connection", "unknown", ["create"], None, unknown_after, unknown),
], configuration))

# The configuration of ../same-config in plan form (the other forms are written by hand).
SAME = dict(
    attributes={"email": email(verification_method="otp", status="required", verification=True),
                "username": [], "phone_number": []},
    authentication_methods=methods(password=False, passkey=True, email_otp=False))
write("../same-config/plan.json", plan([
    prompt(False),
    change("auth0_connection.same", "auth0_connection", "same", ["create"], None, connection("Same-Users", options(**SAME))),
]))

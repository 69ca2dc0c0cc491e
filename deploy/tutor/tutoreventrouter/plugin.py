"""Tutor plugin for edx-event-router: the service, its volume, its way in, and its jobs.

Settings keep event-routing-backends' names where ERB has the setting, so values can move
between the two; the service reads the same names from its environment.
"""

from __future__ import annotations

import os
import secrets
import shlex
from glob import glob

import click
import importlib_resources
from tutor import hooks

from .__about__ import __version__
from .event_names import TRANSFORMED_EVENT_NAMES

TEMPLATES = importlib_resources.files("tutoreventrouter") / "templates"

# Where the service keeps its data inside the container (the image declares it a volume).
DATA_DIR = "/var/lib/edx-event-router"

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [
        ("EVENT_ROUTER_VERSION", __version__),
        # Built here (`tutor images build event-router`); on Kubernetes, a tag in your registry.
        ("DOCKER_IMAGE_EVENT_ROUTER", "edx-event-router:{{ EVENT_ROUTER_VERSION }}"),
        # Source of `tutor images build event-router` when no clone is mounted (`tutor mounts add`).
        ("EVENT_ROUTER_REPOSITORY", ""),
        ("EVENT_ROUTER_REPOSITORY_VERSION", "main"),
        # The way in: "follow" reads the LMS's and CMS's tracking.log (no change in the LMS);
        # "bus" consumes the event bus, and patches the LMS settings to publish on it.
        ("EVENT_ROUTER_SOURCE", "follow"),
        ("EVENT_ROUTER_FOLLOW", ["/openedx-data/lms/logs/tracking.log", "/openedx-data/cms/logs/tracking.log"]),
        (
            "EVENT_ROUTER_BUS_URL",
            "redis://{% if REDIS_USERNAME and REDIS_PASSWORD %}{{ REDIS_USERNAME }}:{{ REDIS_PASSWORD }}@{% endif %}"
            "{{ REDIS_HOST }}:{{ REDIS_PORT }}/0?prefix=dev&group=edx_event_router",
        ),
        ("EVENT_ROUTER_PORT", 8080),
        ("EVENT_ROUTER_LOG_LEVEL", "info"),
        ("EVENT_ROUTER_K8S_VOLUME_SIZE", "5Gi"),
        # Identities the LMS's way: read the ExternalId table and create missing ids in it, as
        # ERB does, so that Aspects joins learners' data.
        ("EVENT_ROUTER_IDENTITY_SOURCES", ["lms-database"]),
        ("EVENT_ROUTER_IDENTITY_LMS_WRITE", True),
        ("EVENT_ROUTER_COURSE_NAME_SOURCES", ["lms-database"]),
        (
            "EVENT_ROUTER_LMS_DATABASE_URL",
            "mysql://{{ OPENEDX_MYSQL_USERNAME|urlencode|replace('/', '%2F') }}:{{ OPENEDX_MYSQL_PASSWORD|urlencode|replace('/', '%2F') }}"
            "@{{ MYSQL_HOST }}:{{ MYSQL_PORT }}/{{ OPENEDX_MYSQL_DATABASE }}",
        ),
        # Create the router to Aspects' Ralph in `tutor local do init` when Aspects is enabled.
        ("EVENT_ROUTER_RALPH_ROUTER", True),
        # More settings of the service, passed as they are: {"EVENT_ROUTER_COMPAT": "erb", …}.
        ("EVENT_ROUTER_EXTRA_SETTINGS", {}),
        # ERB's names. The three batching values are Aspects' defaults too: a setting declared
        # by two plugins takes the value of the one loaded last, so they must be equal.
        ("XAPI_EVENTS_ENABLED", True),
        ("CALIPER_EVENTS_ENABLED", False),
        ("XAPI_EVENT_LOGGING_ENABLED", False),
        ("EVENT_ROUTING_BACKEND_BATCHING_ENABLED", True),
        ("EVENT_ROUTING_BACKEND_BATCH_SIZE", 100),
        ("EVENT_ROUTING_BACKEND_BATCH_INTERVAL", 5),
        ("EVENT_ROUTING_BACKEND_MAX_RETRIES", 3),
        ("EVENT_ROUTING_BACKEND_COUNTDOWN", 30),
    ]
)

# Generated once per site and saved in config.yml.
hooks.Filters.CONFIG_UNIQUE.add_items(
    [
        ("EVENT_ROUTER_ADMIN_TOKEN", secrets.token_urlsafe(32)),
        ("EVENT_ROUTER_SECRET_KEY", secrets.token_hex(32)),
        # The service listens on 0.0.0.0 in its container: ingest is never left open.
        ("EVENT_ROUTER_INGEST_TOKEN", secrets.token_urlsafe(32)),
    ]
)

# The event names the service transforms: the LMS publishes exactly these on the bus.
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(
    [
        ("EVENT_ROUTER_TRANSFORMED_EVENTS", TRANSFORMED_EVENT_NAMES),
        ("EVENT_ROUTER_DATA_DIR", DATA_DIR),
    ]
)

hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(str(TEMPLATES))
hooks.Filters.ENV_TEMPLATE_TARGETS.add_item(("event-router/build", "plugins"))

for path in glob(str(importlib_resources.files("tutoreventrouter") / "patches" / "*")):
    with open(path, encoding="utf-8") as patch_file:
        hooks.Filters.ENV_PATCHES.add_item((os.path.basename(path), patch_file.read()))

########################################
# Images
########################################

hooks.Filters.IMAGES_BUILD.add_item(
    ("event-router", ("plugins", "event-router", "build", "event-router"), "{{ DOCKER_IMAGE_EVENT_ROUTER }}", ())
)
hooks.Filters.IMAGES_PULL.add_item(("event-router", "{{ DOCKER_IMAGE_EVENT_ROUTER }}"))
hooks.Filters.IMAGES_PUSH.add_item(("event-router", "{{ DOCKER_IMAGE_EVENT_ROUTER }}"))


@hooks.Filters.IMAGES_BUILD_MOUNTS.add()
def _mount_source(mounts: list[tuple[str, str]], path: str) -> list[tuple[str, str]]:
    # After `tutor mounts add /path/to/edx-event-router`, `tutor images build event-router` builds that clone.
    if os.path.basename(os.path.normpath(path)) == "edx-event-router":
        mounts.append(("event-router", "edx-event-router-src"))
    return mounts


########################################
# Jobs
########################################

with open(str(TEMPLATES / "event-router" / "tasks" / "init.sh"), encoding="utf-8") as task_file:
    hooks.Filters.CLI_DO_INIT_TASKS.add_item(("event-router", task_file.read()))


@click.command(
    name="event-router-replay",
    context_settings={"ignore_unknown_options": True},
    help="Replay tracking logs to the configured routers (edx-event-router replay --routers). "
    "Without arguments: the LMS's and CMS's log folders. Arguments go to replay as they are; then "
    "name the sources too, e.g. --since 2024-01-01 /openedx-data/lms/logs/tracking.log.1.gz",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def replay(args: tuple[str, ...]) -> list[tuple[str, str]]:
    # The LMS URL, data directory and statement form come from the job's environment: the
    # service's own settings, so the replayed statements are the ones the service would send.
    given = list(args) or ["/openedx-data/lms/logs", "/openedx-data/cms/logs"]
    return [("event-router", shlex.join(["edx-event-router", "replay", "--routers", "--no-progress", *given]))]


@click.command(
    name="event-router-dead-letters",
    context_settings={"ignore_unknown_options": True},
    help="Statements delivery gave up on: list, retry or purge (edx-event-router dead-letters), "
    "e.g. `event-router-dead-letters list --json`, `event-router-dead-letters retry --all`.",
)
@click.argument("action", type=click.Choice(["list", "retry", "purge"]))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def dead_letters(action: str, args: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("event-router", shlex.join(["edx-event-router", "dead-letters", action, *args]))]


hooks.Filters.CLI_DO_COMMANDS.add_items([replay, dead_letters])

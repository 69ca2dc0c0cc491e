"""Renders every template of the Tutor plugin with Jinja2 alone, as Tutor would.

Usage: render_plugin.py PLUGIN_DIR CONFIG_YAML [KEY=JSON_VALUE ...]
Prints one JSON object: {"config": {...}, "files": {name: text}, "init_task": text,
"do": {command: [[service, text], ...]}}.

Tutor itself is not imported: the plugin's module is loaded against a recorder of Tutor's hooks
API, so that its settings, template variables, patches and jobs are the ones the module declares.
CONFIG_YAML holds the Tutor core settings the templates use, as Tutor's defaults give them.
"""

import json
import os
import sys
import types

import jinja2
import yaml


class Filter:
    def __init__(self):
        self.items = []

    def add_item(self, item, priority=None):
        self.items.append(item)

    def add_items(self, items, priority=None):
        self.items.extend(items)

    def add(self, priority=None):
        def register(func):
            self.items.append(func)
            return func

        return register


class Filters:
    def __getattr__(self, name):
        value = Filter()
        setattr(self, name, value)
        return value


def install_hooks_recorder():
    filters = Filters()
    tutor = types.ModuleType("tutor")
    hooks = types.ModuleType("tutor.hooks")
    hooks.Filters = filters
    tutor.hooks = hooks
    sys.modules["tutor"] = tutor
    sys.modules["tutor.hooks"] = hooks
    return filters


def render_config(env, config):
    """Tutor's render_full: every value is a template over the whole configuration."""

    def render(value):
        if isinstance(value, str):
            return env.from_string(value).render(**config)
        if isinstance(value, list):
            return [render(v) for v in value]
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        return value

    for key in list(config):
        config[key] = render(config[key])


def main():
    plugin_dir, config_path, *overrides = sys.argv[1:]
    filters = install_hooks_recorder()
    sys.path.insert(0, plugin_dir)
    import tutoreventrouter.plugin as plugin  # noqa: E402  (loaded against the recorder)

    with open(config_path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config.update(dict(filters.CONFIG_UNIQUE.items))
    config.update(dict(filters.CONFIG_DEFAULTS.items))
    for override in overrides:
        key, value = override.split("=", 1)
        config[key] = json.loads(value)

    roots = list(filters.ENV_TEMPLATE_ROOTS.items)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(roots), undefined=jinja2.StrictUndefined)
    env.globals.update(dict(filters.ENV_TEMPLATE_VARIABLES.items))
    env.filters["list_if"] = lambda services: json.dumps([name for name, enabled in services if enabled])
    render_config(env, config)

    files = {}
    for name, text in filters.ENV_PATCHES.items:
        files["patches/" + name] = env.from_string(text).render(**config)
    for source, _target in filters.ENV_TEMPLATE_TARGETS.items:
        for root in roots:
            for folder, _dirs, names in os.walk(os.path.join(root, source)):
                for name in names:
                    relative = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                    files["templates/" + relative] = env.get_template(relative).render(**config)

    (service, task), = filters.CLI_DO_INIT_TASKS.items
    init_task = env.from_string(task).render(**config)
    do = {}
    for command in filters.CLI_DO_COMMANDS.items:
        cases = (["list", "--json"], ["retry", "--all"]) if command.name.endswith("dead-letters") else ([], ["--since", "2024-01-01", "x.log"])
        for args in cases:
            jobs = command.main(args=args, standalone_mode=False)
            do[" ".join([command.name, *args])] = [[s, env.from_string(t).render(**config)] for s, t in jobs]

    images = {
        "build": [[n, list(p), env.from_string(t).render(**config)] for n, p, t, _a in filters.IMAGES_BUILD.items],
        "pull": [[n, env.from_string(t).render(**config)] for n, t in filters.IMAGES_PULL.items],
        "push": [[n, env.from_string(t).render(**config)] for n, t in filters.IMAGES_PUSH.items],
    }
    json.dump(
        {"config": config, "files": files, "init_task": [service, init_task], "do": do, "images": images, "version": plugin.__version__},
        sys.stdout,
    )


main()

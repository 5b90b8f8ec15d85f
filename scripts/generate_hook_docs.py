"""Write docs/hooks.md, the hook reference, from the hook specifications in nianbao.plugins.hookspecs.

    python3 scripts/generate_hook_docs.py           # regenerate the page
    python3 scripts/generate_hook_docs.py --check   # exit 1 if the page is missing or stale

The specifications' docstrings are the only place a hook is documented; tests run --check.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

from nianbao.plugins import hookspecs

PAGE = Path(__file__).resolve().parent.parent / "docs" / "hooks.md"


def hook_functions() -> list:
    """The hook specifications, in the order the module defines them."""
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    found = [
        value
        for name, value in vars(hookspecs).items()
        if name.startswith(f"{hookspecs.PROJECT_NAME}_") and inspect.isfunction(value) and hasattr(value, marker)
    ]
    return sorted(found, key=lambda function: function.__code__.co_firstlineno)


def render() -> str:
    lines = [
        "# 插件钩子参考（Hook reference）",
        "",
        "本页由 `scripts/generate_hook_docs.py` 根据 `nianbao.plugins.hookspecs` 生成，请勿手工编辑。",
        f"插件接口版本：**{hookspecs.PLUGIN_API_VERSION}**（见 [plugin-api.md](plugin-api.md)）。",
        "入门见 [writing-plugins.md](writing-plugins.md)。",
        "",
        inspect.cleandoc(hookspecs.__doc__ or ""),
        "",
        "实现钩子时用 `nianbao.api.hookimpl` 标记同名函数，只写需要的钩子：",
        "",
        "```python",
        "from nianbao.api import hookimpl",
        "",
        "@hookimpl",
        "def nianbao_rules():",
        "    return [MyRule]",
        "```",
        "",
    ]
    for function in hook_functions():
        signature = inspect.signature(function)
        returns = signature.return_annotation
        returns = returns if isinstance(returns, str) else inspect.formatannotation(returns)
        lines += [
            f"## `{function.__name__}`",
            "",
            "```python",
            f"def {function.__name__}{_parameters(signature)} -> {returns}",
            "```",
            "",
            inspect.cleandoc(function.__doc__ or "（无说明）"),
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _parameters(signature: inspect.Signature) -> str:
    return "(" + ", ".join(str(parameter) for parameter in signature.parameters.values()) + ")"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="只检查 docs/hooks.md 是否最新")
    args = parser.parse_args(argv)
    expected = render()
    if args.check:
        current = PAGE.read_text("utf-8") if PAGE.exists() else None
        if current != expected:
            print(f"{PAGE.name} 不是最新的：运行 python3 scripts/generate_hook_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(expected, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

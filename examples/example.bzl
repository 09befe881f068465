"""vow_example: one example program, its Node twin, and the test that checks them."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def vow_example(name, deps = ["//:vow"], js_data = [], size = "small", **kwargs):
    """`<name>.cc` as `bazel run //examples:<name>`, and `<name>_test`.

    The test runs the program and diffs its output with `<name>.expected`; where node is
    installed it also checks that `<name>.js`, the Node program the example ports, prints the
    same (and says clearly that it skipped that check where node is missing).

    Args:
      name: the example's name, e.g. "event_loop_quiz".
      deps: the program's dependencies.
      js_data: files the `.js` twin requires (e.g. "support.js").
      size: the test's size.
      **kwargs: passed to the sh_test.
    """
    cc_binary(
        name = name,
        srcs = [name + ".cc"],
        deps = deps,
    )
    native.sh_test(
        name = name + "_test",
        size = size,
        srcs = ["example_test.sh"],
        args = [
            "$(location :%s)" % name,
            "$(location %s.expected)" % name,
            "$(location %s.js)" % name,
        ],
        data = [
            ":" + name,
            name + ".expected",
            name + ".js",
        ] + js_data,
        **kwargs
    )

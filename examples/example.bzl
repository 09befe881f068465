"""vow_example: one example program, its Node twin, and the test that checks them."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def vow_example(name, deps = ["//:vow"], js_data = [], timing = False, node_twin = True, size = "small", **kwargs):
    """`<name>.cc` as `bazel run //examples:<name>`, and `<name>_test`.

    The test runs the program and diffs its output with `<name>.expected`; checks that the
    opening comment of `<name>.cc` quotes `<name>.js` (the Node program it ports) as it is; and
    where node is installed, checks that `<name>.js` prints `<name>.expected` too (saying
    clearly that it skipped that check where node is missing).

    Args:
      name: the example's name, e.g. "event_loop_quiz".
      deps: the program's dependencies.
      js_data: files the `.js` twin requires (e.g. "support.js").
      timing: the output depends on elapsed time: run the test alone ("exclusive"), so that
        other tests do not compete with it for the CPU, and give each program (the example and
        its Node twin) up to 3 runs to print the expected output on a noisy machine.
      node_twin: whether there is a `<name>.js` to quote and check. False for a program with
        no Node counterpart (vow embedded in another event loop): its opening comment says why,
        and the test checks its output only.
      size: the test's size.
      **kwargs: passed to the sh_test.
    """
    cc_binary(
        name = name,
        srcs = [name + ".cc"],
        deps = deps,
    )
    if timing:
        kwargs["tags"] = kwargs.get("tags", []) + ["exclusive"]
        kwargs["env"] = dict(kwargs.get("env", {}), EXAMPLE_ATTEMPTS = "3")
    js = [name + ".js"] if node_twin else []
    native.sh_test(
        name = name + "_test",
        size = size,
        srcs = ["example_test.sh"],
        args = [
            "$(location :%s)" % name,
            "$(location %s.expected)" % name,
            "$(location %s.js)" % name if node_twin else "-",
            "$(location %s.cc)" % name,
        ],
        data = [
            ":" + name,
            name + ".expected",
            name + ".cc",
        ] + js + js_data,
        **kwargs
    )

"""parity_test: a C++ twin of a Node program, checked line for line against Node's output."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def parity_test(name, deps = ["//:vow"], size = "small", **kwargs):
    """Builds `<name>.cc` and diffs its output with `<name>.expected` (and node `<name>.js`).

    Args:
      name: the program's name, e.g. "11_two_chains_interleave".
      deps: the twin's dependencies.
      size: the test size.
      **kwargs: passed to the sh_test.
    """
    cc_binary(
        name = name + "_twin",
        srcs = [name + ".cc"],
        deps = deps + [":parity_support"],
        testonly = True,
    )
    native.sh_test(
        name = name,
        size = size,
        srcs = ["parity_test.sh"],
        args = [
            "$(location :%s_twin)" % name,
            "$(location %s.expected)" % name,
            "$(location %s.js)" % name,
        ],
        data = [
            ":%s_twin" % name,
            name + ".expected",
            name + ".js",
        ],
        **kwargs
    )

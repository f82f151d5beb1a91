# node-gyp build of the addon for installs where no prebuilt addon fits. scripts/install.js
# runs it with --nodedir at this Node's own headers and sets X402SECURE_INCLUDEDIR (the
# header), X402SECURE_LINK (the library: a file path, or -L<dir> -lx402secure) and
# X402SECURE_RPATH. The repository's developer build is build.sh (same sources, plus -Werror).
{
  "targets": [
    {
      "target_name": "x402s_node",
      "sources": [
        "<!@(node -e \"for (const f of require('fs').readdirSync('src').sort()) if (f.endsWith('.c')) console.log('src/' + f)\")"
      ],
      "include_dirs": [
        "<!(node -p \"process.env.X402SECURE_INCLUDEDIR || 'include'\")"
      ],
      "cflags_c": ["-std=c11", "-O2", "-Wall", "-Wextra"],
      "libraries": [
        "<!@(node -p \"process.env.X402SECURE_LINK || '-lx402secure'\")"
      ],
      "ldflags": [
        "-Wl,-rpath,'$$ORIGIN'",
        "-Wl,-rpath,<!(node -p \"process.env.X402SECURE_RPATH || '/usr/local/lib'\")"
      ]
    }
  ]
}

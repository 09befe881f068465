async function readConfig(path) {
  await null; // the file would be read here
  throw new Error(`config missing: ${path}`);
}

async function loadSettings() {
  return await readConfig('app.json');
}

async function startServer() {
  const settings = await loadSettings();
  return settings;
}

async function program() {
  try {
    await startServer();
  } catch (err) {
    // err.stack without the (file:line:column) of each frame, which differ between the twins.
    console.log(err.stack.split('\n').map((line) => line.replace(/ \(.*\)$/, '')).join('\n'));
  }
}

program();

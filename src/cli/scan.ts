// Placeholder until the engine lands: says so instead of pretending.
process.stderr.write("mimo scan: the local usage engine is not built yet\n");
process.exitCode = 1;

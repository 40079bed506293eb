// Placeholder entry point; the command tree (run, hocon, check-config) is built in Commands/.
return 0;

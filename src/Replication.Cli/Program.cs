using Replication.Cli;

return CommandLineApp.Run(args);

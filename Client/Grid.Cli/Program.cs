using System.CommandLine;

var root = new RootCommand("grid: VQ-VAE image stream compression");
return root.Parse(args).Invoke();

global using Ingrain.Model;
global using Ingrain.Topology;
global using Ingrain.Topology.Configuration;
global using Ingrain.Topology.Modules;

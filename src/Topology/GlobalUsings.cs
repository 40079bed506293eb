global using Ingrain.Model;

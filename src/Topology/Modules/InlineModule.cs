using Ingrain.Topology.Configuration;

namespace Ingrain.Topology.Modules;

/// <summary>
/// Modules made from a parser and a factory, for components that live outside the module folders: tools,
/// benchmarks and tests that register a component of their own. Built-in components each have a module class.
/// </summary>
public static class InlineModule
{
    public static IProbeModule Probe<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, ProbeContext, IProbe> create,
        bool sideBySide = false)
        where TOptions : class => new InlineProbe<TOptions>(name, parse, create, sideBySide);

    public static IStepModule Step<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, StepContext, IPipelineStep> create)
        where TOptions : class => new InlineStep<TOptions>(name, parse, create);

    public static IBackendModule Backend<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, BackendContext, IBackendWriter> create)
        where TOptions : class => new InlineBackend<TOptions>(name, parse, create);

    private sealed class InlineProbe<T>(string name, Func<ConfigSection, T?> parse, Func<T, ProbeContext, IProbe> create, bool sideBySide)
        : ProbeModule<T> where T : class
    {
        public override string Name => name;
        public override bool CanRunSideBySide => sideBySide;
        protected override T? Parse(ConfigSection section) => parse(section);
        protected override IProbe Create(T options, ProbeContext context) => create(options, context);
    }

    private sealed class InlineStep<T>(string name, Func<ConfigSection, T?> parse, Func<T, StepContext, IPipelineStep> create) : StepModule<T> where T : class
    {
        public override string Name => name;
        protected override T? Parse(ConfigSection section) => parse(section);
        protected override IPipelineStep Create(T options, StepContext context) => create(options, context);
    }

    private sealed class InlineBackend<T>(string name, Func<ConfigSection, T?> parse, Func<T, BackendContext, IBackendWriter> create) : BackendModule<T> where T : class
    {
        public override string Name => name;
        protected override T? Parse(ConfigSection section) => parse(section);
        protected override IBackendWriter Create(T options, BackendContext context) => create(options, context);
    }
}

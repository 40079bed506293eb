// The hostile cases are about Linux file modes, owners and signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

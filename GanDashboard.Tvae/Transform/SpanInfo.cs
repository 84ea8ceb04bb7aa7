namespace GanDashboard.Tvae.Transform;

public enum SpanActivation { Tanh, Softmax }

public readonly record struct SpanInfo(int Dim, SpanActivation Activation);

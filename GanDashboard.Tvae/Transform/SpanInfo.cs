namespace GanDashboard.Tvae.Transform;

/// <summary>The activation the decoder applies to a span of output columns (CTGAN's <c>activation_fn</c>).</summary>
public enum SpanActivation
{
    /// <summary>One scalar in [-1, 1]: a continuous value normalised inside its mixture component.</summary>
    Tanh,
    /// <summary>A one-hot block: a mixture component, a category or a null indicator.</summary>
    Softmax,
}

/// <summary>A run of <see cref="Dim"/> adjacent output columns that share one activation (CTGAN's <c>SpanInfo</c>).</summary>
public readonly record struct SpanInfo(int Dim, SpanActivation Activation);

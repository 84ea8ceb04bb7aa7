namespace GanDashboard.Web.Tasks;

/// <summary>Limits of the job queue and the model cache (configuration section <c>GanDashboard:Work</c>).</summary>
public sealed record WorkOptions
{
    public const string Section = "GanDashboard:Work";

    /// <summary>Trainings that may run at once; one keeps a 2-core machine responsive.</summary>
    public int MaxConcurrentTrainings { get; init; } = 1;

    /// <summary>Trainings that may run at once in the whole cluster (PostgreSQL only; none when unset): each node still keeps its own limit.</summary>
    public int? MaxConcurrentTrainingsInCluster { get; init; }

    /// <summary>Tasks of any kind that may run at once (Quartz thread pool size).</summary>
    public int MaxConcurrentTasks { get; init; } = 4;

    /// <summary>Trained models kept loaded in memory (LRU).</summary>
    public int ModelCacheSize { get; init; } = 5;

    /// <summary>How often running task progress is written to the database (events go out immediately).</summary>
    public TimeSpan ProgressPersistInterval { get; init; } = TimeSpan.FromSeconds(1);
}

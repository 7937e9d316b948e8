
namespace ExportStudio.Tests.Support;

public static class ExportJobWaiting
{
    /// <summary>Polls until the job has finished (completed, failed or cancelled) and returns it.</summary>
    public static async Task<ExportJob> WaitUntilFinishedAsync(this ExportJobService jobs, Guid jobId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await jobs.GetAsync(jobId, cancellation.Token) ?? throw new InvalidOperationException($"Job {jobId} disappeared.");
            if (job.Status.IsFinished())
            {
                return job;
            }
            await Task.Delay(25, cancellation.Token);
        }
    }

    /// <summary>Polls until the job satisfies <paramref name="condition"/>.</summary>
    public static async Task<ExportJob> WaitUntilAsync(this ExportJobService jobs, Guid jobId, Func<ExportJob, bool> condition, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await jobs.GetAsync(jobId, cancellation.Token) ?? throw new InvalidOperationException($"Job {jobId} disappeared.");
            if (condition(job))
            {
                return job;
            }
            await Task.Delay(10, cancellation.Token);
        }
    }
}

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// <c>eclairs serve --notices-dir DIR</c>: takes every *.xml notice dropped in the folder (looked at every second, so
/// files copied over a network share are seen too), then moves it to DIR/done, or to DIR/refused beside a .reason.txt.
/// A file still being written (modified in the last second) waits for the next look.
/// </summary>
internal sealed class NoticesWatcher : BackgroundService
{
    private readonly GroundOptions _options;
    private readonly IngestService _ingest;
    private readonly ILogger<NoticesWatcher> _log;

    public NoticesWatcher(GroundOptions options, IngestService ingest, ILogger<NoticesWatcher> log)
    {
        _options = options;
        _ingest = ingest;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.NoticesDir is not string dir)
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(dir, "done"));
        Directory.CreateDirectory(Path.Combine(dir, "refused"));
        _log.LogInformation("notices taken from {Dir}", Path.GetFullPath(dir));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            foreach (string file in Directory.GetFiles(dir, "*.xml"))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < TimeSpan.FromSeconds(1))
                {
                    continue;
                }

                Take(dir, file);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Take(string dir, string file)
    {
        string name = Path.GetFileName(file);
        try
        {
            byte[] xml = File.ReadAllBytes(file);
            if (xml.Length > _options.MaxNoticeBytes)
            {
                throw new IngestRefusedException($"{xml.Length} bytes, more than the {_options.MaxNoticeBytes} a notice may have", 413);
            }

            (long id, bool created, long? alert) = _ingest.IngestNotice(xml);
            _log.LogInformation("notice {File}: {What} (id {Id}, alert {Alert})", name, created ? "stored" : "already known", id, alert);
            File.Move(file, Path.Combine(dir, "done", name), overwrite: true);
        }
        catch (IngestRefusedException e)
        {
            _log.LogWarning("notice {File} refused: {Reason}", name, e.Message);
            File.Move(file, Path.Combine(dir, "refused", name), overwrite: true);
            File.WriteAllText(Path.Combine(dir, "refused", name + ".reason.txt"), e.Message + Environment.NewLine);
        }
        catch (IOException e)
        {
            _log.LogWarning("notice {File}: {Reason}; tried again in a second", name, e.Message);
        }
    }
}

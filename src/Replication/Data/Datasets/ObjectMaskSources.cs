namespace Replication.Data.Datasets;

/// <summary>Segmentation masks by kind: <c>voc:PATH</c> (Pascal VOC 2012, val split) or <c>coco:PATH</c> (COCO val2017).</summary>
public static class ObjectMaskSources
{
    public static IReadOnlyList<MaskedObject> Open(string spec)
    {
        int colon = spec.IndexOf(':');
        string kind = colon > 0 ? spec[..colon].ToLowerInvariant() : "", path = colon > 0 ? spec[(colon + 1)..] : spec;
        return kind switch
        {
            "voc" => VocObjectMasks.Load(path),
            "coco" => CocoObjectMasks.Load(path),
            _ => throw new ParameterException("Masks", spec, "give voc:PATH or coco:PATH"),
        };
    }
}

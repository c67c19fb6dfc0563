using System.Management.Automation;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>
/// -AllNamespaces output: the object gets the type name "&lt;type&gt;#AllNamespaces" first, which selects the table view
/// with storkctl's extra NAMESPACE column. The object itself is unchanged.
/// </summary>
internal static class AllNamespacesView
{
    public static object Tag(object item, bool allNamespaces)
    {
        if (!allNamespaces)
            return item;
        var wrapped = PSObject.AsPSObject(item);
        wrapped.TypeNames.Insert(0, item.GetType().FullName + "#AllNamespaces");
        return wrapped;
    }
}

using System.Net;
using System.Text.RegularExpressions;

namespace GanDashboard.Tests.Access;

/// <summary>Posts the sign-in and setup pages' forms as a browser would: their hidden fields (anti-forgery token, form name) included.</summary>
public static partial class AccessForms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, IDictionary<string, string> fields, bool withToken = true)
    {
        string page = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields);
        foreach (Match m in HiddenInput().Matches(page))
            if (withToken || m.Groups["name"].Value != "__RequestVerificationToken") form[m.Groups["name"].Value] = WebUtility.HtmlDecode(m.Groups["value"].Value);
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, bool withToken = true) =>
        PostAsync(client, "/account/signin", new Dictionary<string, string> { ["Input.UserName"] = user, ["Input.Password"] = password }, withToken);

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}

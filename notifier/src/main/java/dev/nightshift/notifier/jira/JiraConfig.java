package dev.nightshift.notifier.jira;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.Arrays;
import java.util.List;

/**
 * The Jira Cloud site tickets go to ({@code JIRA_URL} is {@code jira.url}); the defaults below are the only ones.
 * {@code url} (JIRA_URL, no default): the site, e.g. {@code https://example.atlassian.net}; without it no tickets.
 * {@code user} (JIRA_USER) and {@code api-token} (JIRA_API_TOKEN, a secret: the token or a secret reference): the
 * account the notifier acts as. {@code issue-type} (JIRA_ISSUE_TYPE, default Task): the type of the tickets made.
 * {@code resolve-transition} (JIRA_RESOLVE_TRANSITION) and {@code reopen-transition} (JIRA_REOPEN_TRANSITION): the
 * names of the workflow transitions to take, comma-separated, the first one the ticket offers wins.
 * {@code default-project} (JIRA_DEFAULT_PROJECT, no default): the project of a team whose ownership names none.
 * {@link #toString} never shows the token.
 */
@ConfigurationProperties("jira")
public class JiraConfig {
    private String url = "";
    private String user = "";
    private String apiToken = "";
    private String issueType = "Task";
    private String resolveTransition = "Done,Resolve Issue,Close Issue";
    private String reopenTransition = "Reopen,Reopen Issue,To Do";
    /** The project of a team whose ownership names none; blank: such teams get no tickets. */
    private String defaultProject = "";

    public String getDefaultProject() {
        return defaultProject;
    }

    public void setDefaultProject(String defaultProject) {
        this.defaultProject = defaultProject == null ? "" : defaultProject.trim();
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user == null ? "" : user.trim();
    }

    public String getApiToken() {
        return apiToken;
    }

    public void setApiToken(String apiToken) {
        this.apiToken = apiToken == null ? "" : apiToken.trim();
    }

    public String getIssueType() {
        return issueType;
    }

    public void setIssueType(String issueType) {
        this.issueType = issueType;
    }

    public String getResolveTransition() {
        return resolveTransition;
    }

    public void setResolveTransition(String resolveTransition) {
        this.resolveTransition = resolveTransition;
    }

    public String getReopenTransition() {
        return reopenTransition;
    }

    public void setReopenTransition(String reopenTransition) {
        this.reopenTransition = reopenTransition;
    }

    /** Whether tickets are wanted: a site is named. */
    public boolean configured() {
        return !url.isBlank();
    }

    /** The names in a comma-separated transition setting, in order. */
    static List<String> names(String setting) {
        return setting == null ? List.of() : Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "JiraConfig[url=" + url + ", user=" + user + ", apiToken=" + (apiToken.isBlank() ? "unset" : "set") + ", issueType=" + issueType
                + ", resolveTransition=" + resolveTransition + ", reopenTransition=" + reopenTransition + "]";
    }
}

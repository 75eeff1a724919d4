package dev.correlator.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A person or bot behind commits and pushes; githubId is null until an event names it. */
@Entity
@Table(name = "developer")
public class Developer extends PanacheEntityBase {

    @Id
    public Long id;

    public Long githubId;
    public String login;
    public String name;
    public boolean bot;
    public Instant updatedAt;

    public static Optional<Developer> byLogin(String login) {
        return find("lower(login) = ?1", login.toLowerCase(Locale.ROOT)).firstResultOptional();
    }
}
